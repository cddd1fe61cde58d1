import type { Usage } from '../events';
import type { AgentCheckRun, AgentFileChange, AgentView } from './agentView';
import type { RequestView, ToolCallView } from './requestView';

/**
 * An agent task's steps as the sidebar lists them: each model turn with the tool calls it made,
 * and the file changes and check runs that followed it (before the next turn). Grouped by time,
 * since a turn's `agent.step` arrives when the turn ends: its tool calls come before it, their
 * effects after. Pure: unit-tested in plain Node.
 */
export interface AgentStepView {
  step: number;
  /** Still running: the model's current turn (no usage yet). */
  running?: boolean;
  usage?: Usage;
  cost?: number | null;
  ms?: number;
  tools: ToolCallView[];
  files: AgentFileChange[];
  checks: AgentCheckRun[];
}

export function agentSteps(view: RequestView): AgentStepView[] {
  const agent = view.agent;
  if (!agent) return [];
  const ends = agent.steps.map((s) => s.t);
  const steps: AgentStepView[] = agent.steps.map((s) => ({ step: s.step, usage: s.usage, cost: s.cost, ms: s.ms, tools: [], files: [], checks: [] }));
  const live: AgentStepView = { step: (agent.steps.at(-1)?.step ?? 0) + 1, running: true, tools: [], files: [], checks: [] };
  // The turn a tool call belongs to: the first whose end is at or after the call.
  const turnOf = (t: number): AgentStepView => {
    const i = ends.findIndex((end) => t <= end);
    return i >= 0 ? steps[i] : live;
  };
  // What followed a turn: the last turn that ended before it (work before any turn ended: the first).
  const afterTurn = (t: number): AgentStepView => {
    let i = -1;
    for (let k = 0; k < ends.length; k++) if (ends[k] < t) i = k;
    return i >= 0 ? steps[i] : steps[0] ?? live;
  };
  for (const tool of view.tools) turnOf(tool.startedAt).tools.push(tool);
  for (const change of agent.changes) afterTurn(change.t).files.push(change);
  for (const check of agent.checkRuns) afterTurn(check.t).checks.push(check);
  const finished = !!agent.end || view.status !== 'running';
  if (!finished || live.tools.length || live.files.length || live.checks.length) steps.push(finished ? { ...live, running: false } : live);
  return steps;
}

/** Plan progress, "2 of 4 done". */
export function planProgress(agent: AgentView): { done: number; total: number; current?: string } {
  const done = agent.plan.filter((p) => p.status === 'done').length;
  return { done, total: agent.plan.length, current: agent.plan.find((p) => p.status === 'in_progress')?.text };
}

/** The latest result of each check (by name), in the order the checks are configured. */
export function latestChecks(agent: AgentView): AgentCheckRun[] {
  const byName = new Map<string, AgentCheckRun>();
  for (const run of agent.checkRuns) byName.set(run.name, run);
  const order = agent.checks.map((c) => c.name);
  return [...byName.values()].sort((a, b) => (order.indexOf(a.name) + 1 || 1e9) - (order.indexOf(b.name) + 1 || 1e9));
}

/** The task's cost so far: the end's total, else the running total. */
export function taskCost(agent: AgentView): number | null {
  return agent.end ? agent.end.cost : agent.totalCost;
}
