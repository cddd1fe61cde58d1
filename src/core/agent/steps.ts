import type { PonderEvent, PonderEventType, RequestEmitter } from '../events';
import type { StreamTurnRequest, TurnResult } from '../model/types';

/** The events that say which step they belong to (events.ts `inStep`). */
const IN_STEP: ReadonlySet<PonderEventType> = new Set<PonderEventType>([
  'reasoning.delta', 'content.delta', 'tool.call', 'tool.approval', 'tool.result', 'notice', 'error',
  'agent.plan', 'agent.file', 'agent.check',
]);
const MODEL_OUTPUT: ReadonlySet<string> = new Set(['reasoning.delta', 'content.delta', 'tool.call']);

/**
 * Steps of an agent task as the user sees them. A step begins when the endpoint answers its
 * model turn (`agent.step.start`, before the turn's reasoning and tool calls), so a turn that
 * never reached the model (no key, no server, a fallback taken before any output) is no step.
 * From that start until the next turn is prepared, every event in IN_STEP carries the step's
 * number: its reasoning, tool calls and their approvals, file changes, plan, the checks Ponder
 * runs after the model stops, and its errors. `stamp` is the request's stamp hook.
 */
export class StepTracker {
  private started = 0;
  private current: number | undefined;
  private armed = false;
  private emitter?: RequestEmitter;

  /** Steps started so far. */
  get count(): number { return this.started; }
  /** The step whose events are being emitted, if any. */
  get step(): number | undefined { return this.current; }

  attach(emitter: RequestEmitter): void { this.emitter = emitter; }

  stamp(e: PonderEvent): void {
    if (this.current !== undefined && IN_STEP.has(e.type) && !('step' in e && e.step !== undefined)) Object.assign(e, { step: this.current });
  }

  /** The next model turn is about to be sent: events until its answer belong to no step. */
  arm(): void {
    this.current = undefined;
    this.armed = true;
  }

  /** The task is ending: what follows belongs to the task, not a step. */
  end(): void {
    this.current = undefined;
    this.armed = false;
  }

  /** The endpoint answered the armed turn: the step starts (once). */
  begin(): void {
    if (!this.armed) return;
    this.armed = false;
    this.current = ++this.started;
    this.emitter?.emit({ type: 'agent.step.start', step: this.current });
  }

  /** A model client whose answers begin the armed step: on the response, or its first output at the latest. */
  wrap(streamTurn: (req: StreamTurnRequest) => Promise<TurnResult>): (req: StreamTurnRequest) => Promise<TurnResult> {
    return async (req) => {
      const result = await streamTurn({
        ...req,
        onResponse: () => { this.begin(); req.onResponse?.(); },
        emit: (e) => { if (MODEL_OUTPUT.has(e.type)) this.begin(); req.emit(e); },
      });
      // A client that does not report the response: an answer without output still reached the model.
      if (!result.error && result.finishReason !== 'cancelled') this.begin();
      return result;
    };
  }
}
