import { randomUUID } from 'node:crypto';
import { RequestEmitter, type PonderEvent } from '../../events';
import { silentLogger, type Logger } from '../../log';
import { defaultRunDeps } from '../deps';
import type { RunDeps, RunRequestInput } from '../types';

/**
 * What every stage of one request shares and nobody reassigns: the request id, the real or
 * injected parts, the emitter (every event also lands in `events`, read by the ledger), the
 * token counter, the cancellation signal and the start time.
 */
export interface RequestContext {
  readonly input: RunRequestInput;
  readonly requestId: string;
  readonly deps: RunDeps;
  readonly log: Logger;
  readonly emitter: RequestEmitter;
  /** Every event emitted so far, in order. */
  readonly events: PonderEvent[];
  readonly count: (text: string) => number;
  readonly signal?: AbortSignal;
  /** ms since epoch (deps.now) when the request started. */
  readonly startedAt: number;
}

/**
 * `stamp` may add fields to each event before anyone sees it (agent mode: the step an event
 * belongs to); it changes the event in place, so what `emit` returns has them too.
 */
export function createRequestContext(input: RunRequestInput, stamp?: (e: PonderEvent) => void): RequestContext {
  const deps: RunDeps = { ...defaultRunDeps, ...input.deps };
  const log = input.logger ?? silentLogger;
  const requestId = input.requestId ?? randomUUID();
  const events: PonderEvent[] = [];
  const emitter = new RequestEmitter(requestId, (e) => {
    stamp?.(e);
    events.push(e);
    try { input.onEvent?.(e); } catch (err) { log.error(`event sink failed on ${e.type}: ${String(err)}`); }
  }, deps.now);
  return { input, requestId, deps, log, emitter, events, count: deps.toolDeps.countTokens, signal: input.signal, startedAt: deps.now() };
}
