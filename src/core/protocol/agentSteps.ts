import type { Usage } from '../events';
import type { AgentCheckRun, AgentFileChange, AgentView } from './agentView';
import type { RequestView, ToolCallView } from './requestView';

/**
 * An agent task's steps as the sidebar lists them: each model turn with its reasoning, the tool
 * calls it made, the file changes and check runs they led to, and its tokens
 * and cost. Each event says its step (`step`, from `agent.step.start` on); traces recorded before
 * events carried it are grouped by time as well as can be. Pure: unit-tested in plain Node.
 */
export interface AgentStepView {
  step: number;
  /** Still running: the model's current turn (no usage yet). */
  running?: boolean;
  usage?: Usage;
  cost?: number | null;
  ms?: number;
  /** The model's reasoning in this step. */
  reasoning: string;
  tools: ToolCallView[];
  files: AgentFileChange[];
  checks: AgentCheckRun[];
}

const blank = (step: number): AgentStepView => ({ step, reasoning: '', tools: [], files: [], checks: [] });

export function agentSteps(view: RequestView): AgentStepView[] {
  const agent = view.agent;
  if (!agent) return [];
  if (!agent.started.length && agent.steps.length) return unstampedSteps(view, agent);
  const byStep = new Map<number, AgentStepView>();
  const get = (n: number): AgentStepView => {
    let s = byStep.get(n);
    if (!s) byStep.set(n, (s = blank(n)));
    return s;
  };
  for (const s of agent.started) get(s.step);
  for (const s of agent.steps) Object.assign(get(s.step), { usage: s.usage, cost: s.cost, ms: s.ms });
  // Anything without a step (a trace cut short, an older writer): the step that had started by then.
  const at = (t: number): number | undefined => [...agent.started].reverse().find((s) => s.t <= t)?.step ?? agent.started[0]?.step;
  const place = <T extends { step?: number }>(item: T, t: number, add: (s: AgentStepView) => void): void => {
    const n = item.step ?? at(t);
    if (n !== undefined) add(get(n));
  };
  for (const tool of view.tools) place(tool, tool.startedAt, (s) => s.tools.push(tool));
  for (const change of agent.changes) place(change, change.t, (s) => s.files.push(change));
  for (const check of agent.checkRuns) place(check, check.t, (s) => s.checks.push(check));
  for (const [n, text] of Object.entries(agent.reasoning)) get(Number(n)).reasoning = text;
  const steps = [...byStep.values()].sort((a, b) => a.step - b.step);
  const ended = new Set(agent.steps.map((s) => s.step));
  const last = steps.at(-1);
  if (agent.end || view.status !== 'running') return steps;
  if (last && !ended.has(last.step)) last.running = true;
  // Between turns (the next one sent, no answer yet): the turn to come, unless a check still runs.
  else if (!agent.checkRuns.some((c) => c.state === 'running')) steps.push({ ...blank((last?.step ?? 0) + 1), running: true });
  return steps;
}

/**
 * Traces from before events carried their step: `agent.step` arrived when a turn ended, after
 * its tool calls and before their effects, so a tool call belongs to the first turn ending after
 * it, and a file change or check to the last turn ended before it.
 */
function unstampedSteps(view: RequestView, agent: AgentView): AgentStepView[] {
  const ends = agent.steps.map((s) => s.t);
  const steps: AgentStepView[] = agent.steps.map((s) => ({ ...blank(s.step), usage: s.usage, cost: s.cost, ms: s.ms }));
  const live: AgentStepView = { ...blank((agent.steps.at(-1)?.step ?? 0) + 1), running: true };
  const turnOf = (t: number): AgentStepView => {
    const i = ends.findIndex((end) => t <= end);
    return i >= 0 ? steps[i] : live;
  };
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
