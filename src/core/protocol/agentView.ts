import type { AgentApprove, AgentEndReason, AgentFileAction, AgentLimitKind, AgentLimits, EventOf, PlanItem, Usage } from '../events';

/**
 * An agent task as the sidebar shows it, folded from its `agent.*` events (the task is one
 * request: the rest of its events fold into the request's view as usual). Pure, incremental.
 */
export interface AgentFileChange {
  path: string; action: AgentFileAction; from?: string; diff: string; added: number; removed: number; t: number;
  /** The step it was made in (absent in traces from before steps were stamped). */
  step?: number;
}
export interface AgentCheckRun {
  name: string; command: string; state: 'running' | 'passed' | 'failed'; exitCode?: number | null; output?: string; ms?: number; t: number;
  /** The step it ran in (a check Ponder runs after the model stops: that last step). */
  step?: number;
}
export interface AgentView {
  taskId: string;
  task: string;
  root: string;
  approve: AgentApprove;
  limits: AgentLimits;
  checks: { name: string; command: string }[];
  checkpoint: string;
  plan: PlanItem[];
  /** Steps that ended (agent.step): tokens and cost. */
  steps: { step: number; usage: Usage; cost: number | null; ms: number; t: number }[];
  /** Steps as they started (agent.step.start): the last one may still run. */
  started: { step: number; t: number }[];
  /** The model's reasoning in each step, by step number. */
  reasoning: Record<number, string>;
  /** Every change in order (a file edited twice appears twice). */
  changes: AgentFileChange[];
  checkRuns: AgentCheckRun[];
  condensed: { outputs: number; calls: string[]; tokensBefore: number; tokensAfter: number; window: number; t: number }[];
  totalTokens: number;
  totalCost: number | null;
  /** What the user decided after the task, by file (Undo Agent Changes, the review). */
  decided: Record<string, 'undone' | 'kept'>;
  /** Files still to review or undo, after the user's last decision (absent before any). */
  remaining?: number;
  end?: {
    reason: AgentEndReason; ok: boolean; message: string; limit?: { kind: AgentLimitKind; max: number; used: number };
    rounds: number; usage: Usage; cost: number | null; ms: number;
    files: { path: string; action: AgentFileAction; from?: string }[];
  };
}

export type AgentEvent = EventOf<'agent.task.start' | 'agent.plan' | 'agent.step.start' | 'agent.step' | 'agent.file' | 'agent.check' | 'agent.condensed' | 'agent.decision' | 'agent.task.end'>;

/** Folds one agent event into `view` (created by `agent.task.start`); returns the view. */
export function applyAgentEvent(view: AgentView | undefined, e: AgentEvent): AgentView | undefined {
  if (e.type === 'agent.task.start') {
    return {
      taskId: e.taskId, task: e.task, root: e.root, approve: e.approve, limits: e.limits, checks: e.checks, checkpoint: e.checkpoint,
      plan: [], steps: [], started: [], reasoning: {}, changes: [], checkRuns: [], condensed: [], decided: {}, totalTokens: 0, totalCost: 0,
    };
  }
  if (!view) return view;
  switch (e.type) {
    case 'agent.plan':
      view.plan = e.items;
      break;
    case 'agent.step.start':
      view.started.push({ step: e.step, t: e.t });
      break;
    case 'agent.step':
      view.steps.push({ step: e.step, usage: e.usage, cost: e.cost, ms: e.ms, t: e.t });
      view.totalTokens = e.totalTokens;
      view.totalCost = e.totalCost;
      break;
    case 'agent.file':
      view.changes.push({ path: e.path, action: e.action, from: e.from, diff: e.diff, added: e.added, removed: e.removed, t: e.t, ...(e.step !== undefined ? { step: e.step } : {}) });
      break;
    case 'agent.check': {
      const running = e.state === 'running' ? undefined : [...view.checkRuns].reverse().find((c) => c.name === e.name && c.state === 'running');
      if (running) Object.assign(running, { state: e.state, exitCode: e.exitCode, output: e.output, ms: e.ms });
      else view.checkRuns.push({ name: e.name, command: e.command, state: e.state, exitCode: e.exitCode, output: e.output, ms: e.ms, t: e.t, ...(e.step !== undefined ? { step: e.step } : {}) });
      break;
    }
    case 'agent.decision':
      for (const p of e.paths) view.decided[p] = e.action === 'undo' ? 'undone' : 'kept';
      view.remaining = e.remaining;
      break;
    case 'agent.condensed':
      view.condensed.push({ outputs: e.outputs, calls: e.calls ?? [], tokensBefore: e.tokensBefore, tokensAfter: e.tokensAfter, window: e.window, t: e.t });
      break;
    case 'agent.task.end':
      view.end = { reason: e.reason, ok: e.ok, message: e.message, limit: e.limit, rounds: e.rounds, usage: e.usage, cost: e.cost, ms: e.ms, files: e.files };
      break;
  }
  return view;
}

/** Folds a reasoning delta stamped with its step into that step. */
export function addStepReasoning(view: AgentView, step: number, text: string): void {
  view.reasoning[step] = (view.reasoning[step] ?? '') + text;
}

/** The files a task changed, one row per path as it stands now (a rename shows its new path). */
export function changedFiles(view: AgentView): { path: string; action: AgentFileAction; from?: string; added: number; removed: number }[] {
  const byPath = new Map<string, { path: string; action: AgentFileAction; from?: string; added: number; removed: number }>();
  for (const c of view.changes) {
    if (c.action === 'renamed' && c.from) {
      const prev = byPath.get(c.from);
      byPath.delete(c.from);
      const created = prev?.action === 'created';
      byPath.set(c.path, { path: c.path, action: created ? 'created' : 'renamed', ...(created ? {} : { from: prev?.from ?? c.from }), added: (prev?.added ?? 0) + c.added, removed: (prev?.removed ?? 0) + c.removed });
      continue;
    }
    const prev = byPath.get(c.path);
    if (!prev) { byPath.set(c.path, { path: c.path, action: c.action, added: c.added, removed: c.removed }); continue; }
    if (prev.action === 'created' && c.action === 'deleted') { byPath.delete(c.path); continue; }
    // A file the task created is new in every line it has now: its later edits change that count, never remove any line from before.
    if (prev.action === 'created') { byPath.set(c.path, { ...prev, added: Math.max(0, prev.added + c.added - c.removed), removed: 0 }); continue; }
    byPath.set(c.path, { ...prev, action: c.action === 'deleted' ? 'deleted' : prev.action, added: prev.added + c.added, removed: prev.removed + c.removed });
  }
  return [...byPath.values()];
}
