import type { ContextItem, CostSource, ErrorKind, FixAction, MeterParts, PonderEvent, Usage, Withheld } from '../events';
import { addStepReasoning, applyAgentEvent, type AgentView } from './agentView';

/**
 * The detail of one request as the sidebar shows it, folded from its events. Pure and
 * incremental (`applyEvent` mutates), so the webview can apply thousands of deltas cheaply and
 * unit tests can check the folding in plain Node.
 */
export interface ToolCallView {
  id: string;
  name: string;
  arguments: string;
  startedAt: number;
  /** Agent mode: the step (model turn) that made the call. */
  step?: number;
  approval?: { state: 'asked' | 'granted' | 'denied'; by?: string; detail?: string };
  result?: { ok: boolean; summary: string; ms: number; error?: string };
}

export interface RequestView {
  requestId: string;
  endpoint?: string;
  model?: string;
  provider?: string;
  command?: string;
  prompt?: string;
  route?: { rule: string; reason: string };
  effort?: 'low' | 'medium' | 'high';
  /** How full the model's window is (the context meter). */
  meter?: { window: number; outputReserve: number; total: number; parts: MeterParts };
  startedAt?: number;
  status: 'running' | 'done' | 'error' | 'cancelled';
  reasoning: string;
  reasoningStartedAt?: number;
  /** Set when the answer or a tool call begins after reasoning, or the request ends. */
  reasoningEndedAt?: number;
  answer: string;
  tools: ToolCallView[];
  context?: { budget: number; used: number; window?: number; items: ContextItem[]; withheld: Withheld[]; partial: boolean; ms?: number };
  usage?: Usage;
  cost?: { amount: number | null; currency: 'USD'; source: CostSource; breakdown?: Record<string, number>; note?: string };
  retries: { attempt: number; delayMs: number; cause: string; t: number }[];
  errors: { kind: ErrorKind; message: string; action?: string; fix?: FixAction; status?: number }[];
  notices: { level: 'info' | 'warning'; message: string }[];
  end?: { finishReason: string; ms: number; firstTokenMs?: number; thinkingMs?: number };
  /** The endpoint keeps its reasoning private (said at the start), or reasoned without sending text (said at the end). */
  privateReasoning?: boolean;
  /** Time of the last event, for elapsed-time displays of finished requests. */
  lastEventAt?: number;
  /** An agent task (request.start's command 'agent'): plan, steps, files, checks. */
  agent?: AgentView;
}

export function emptyView(requestId: string): RequestView {
  return { requestId, status: 'running', reasoning: '', answer: '', tools: [], retries: [], errors: [], notices: [] };
}

export function buildView(requestId: string, events: readonly PonderEvent[]): RequestView {
  const view = emptyView(requestId);
  for (const e of events) applyEvent(view, e);
  return view;
}

function endReasoning(v: RequestView, t: number): void {
  if (v.reasoningStartedAt !== undefined && v.reasoningEndedAt === undefined) v.reasoningEndedAt = t;
}

export function applyEvent(v: RequestView, e: PonderEvent): void {
  if (e.requestId !== v.requestId) return;
  v.lastEventAt = e.t;
  switch (e.type) {
    case 'request.start':
      Object.assign(v, { endpoint: e.endpoint, model: e.model, provider: e.provider, command: e.command, prompt: e.prompt, route: e.route, effort: e.effort, startedAt: e.t, privateReasoning: e.privateReasoning });
      break;
    case 'context.packed':
      v.context = { budget: e.budget, used: e.used, window: e.window, items: e.items, withheld: e.withheld ?? [], partial: e.partial ?? false, ms: e.ms };
      break;
    case 'reasoning.delta':
      if (v.reasoningStartedAt === undefined) v.reasoningStartedAt = e.t;
      // Reasoning may resume after a tool round: a new paragraph, and the span runs on to the
      // next answer or tool call.
      if (v.reasoningEndedAt !== undefined && v.reasoning && !v.reasoning.endsWith('\n\n')) v.reasoning += '\n\n';
      v.reasoningEndedAt = undefined;
      v.reasoning += e.text;
      if (v.agent && e.step !== undefined) addStepReasoning(v.agent, e.step, e.text);
      break;
    case 'content.delta':
      endReasoning(v, e.t);
      v.answer += e.text;
      break;
    case 'tool.call':
      endReasoning(v, e.t);
      v.tools.push({ id: e.id, name: e.name, arguments: e.arguments, startedAt: e.t, ...(e.step !== undefined ? { step: e.step } : {}) });
      break;
    case 'tool.approval': {
      const tool = v.tools.find((t) => t.id === e.id);
      if (tool) tool.approval = { state: e.state, by: e.by, detail: e.detail };
      break;
    }
    case 'tool.result': {
      const tool = v.tools.find((t) => t.id === e.id);
      if (tool) tool.result = { ok: e.ok, summary: e.summary, ms: e.ms, error: e.error };
      break;
    }
    case 'retry':
      v.retries.push({ attempt: e.attempt, delayMs: e.delayMs, cause: e.cause, t: e.t });
      break;
    case 'usage':
      v.usage = e.usage;
      break;
    case 'cost':
      v.cost = { amount: e.amount, currency: e.currency, source: e.source, breakdown: e.breakdown, note: e.note };
      break;
    case 'error':
      v.errors.push({ kind: e.kind, message: e.message, action: e.action, fix: e.fix, status: e.status });
      v.status = e.kind === 'cancelled' ? 'cancelled' : 'error';
      break;
    case 'request.end':
      endReasoning(v, e.t);
      v.end = { finishReason: e.finishReason, ms: e.ms, firstTokenMs: e.firstTokenMs, thinkingMs: e.thinkingMs };
      if (e.privateReasoning) v.privateReasoning = true;
      else if (v.privateReasoning && v.reasoning) v.privateReasoning = false;
      if (v.status === 'running') v.status = e.finishReason === 'cancelled' ? 'cancelled' : e.finishReason === 'error' ? 'error' : 'done';
      break;
    case 'prompt.meter':
      v.meter = { window: e.window, outputReserve: e.outputReserve, total: e.total, parts: e.parts };
      break;
    case 'notice':
      v.notices.push({ level: e.level, message: e.message });
      break;
    case 'agent.task.start': case 'agent.plan': case 'agent.step.start': case 'agent.step': case 'agent.file': case 'agent.check': case 'agent.condensed': case 'agent.decision': case 'agent.task.end':
      v.agent = applyAgentEvent(v.agent, e);
      break;
  }
}

/** The id of the tool call still waiting for the user, if any. */
export function pendingApproval(v: RequestView): ToolCallView | undefined {
  return v.tools.find((t) => t.approval?.state === 'asked' && !t.result);
}

/** Arguments as indented JSON when they parse, else as the model sent them. */
export function prettyArguments(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}
