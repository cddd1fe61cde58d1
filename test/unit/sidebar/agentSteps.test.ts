import assert from 'node:assert/strict';
import type { PonderEvent } from '../../../src/core/events';
import { agentSteps, latestChecks, planProgress, taskCost } from '../../../src/core/protocol/agentSteps';
import { buildView } from '../../../src/core/protocol/requestView';
import { changedFiles } from '../../../src/core/protocol/agentView';
import { coalesceEvents } from '../../../src/core/protocol/coalesce';

const id = 'task-steps';
const usage = { prompt: 100, cached: 0, completion: 20, reasoning: 0, cacheWrite: 0 };

/**
 * A task as the agent emits it now: each step starts with agent.step.start and every event of the
 * step says its step; agent.step (tokens, cost) closes it when the next turn is prepared. Step 1
 * reasons, plans and edits; step 2 runs the check, which fails; step 3 fixes the file and the check passes.
 */
function stamped(ended: boolean): PonderEvent[] {
  const s = (step: number) => ({ requestId: id, step });
  const ev: PonderEvent[] = [
    { type: 'request.start', requestId: id, t: 0, endpoint: 'wire', model: 'm', command: 'agent', prompt: 'Fix remove()' },
    {
      type: 'agent.task.start', requestId: id, t: 1, taskId: id, task: 'Fix remove()', root: '/w', approve: 'commands',
      limits: { maxRounds: 40, maxTokens: 1e6, maxCost: null, maxMs: 60_000 }, checks: [{ name: 'test', command: 'npm test' }], checkpoint: id,
    },
    { type: 'agent.step.start', requestId: id, t: 5, step: 1 },
    { type: 'reasoning.delta', ...s(1), t: 6, text: 'findIndex gives -1.' },
    { type: 'tool.call', ...s(1), t: 10, id: 'c1', name: 'update_plan', arguments: '{}' },
    { type: 'tool.call', ...s(1), t: 11, id: 'c2', name: 'edit_file', arguments: '{"path":"src/cart.ts"}' },
    { type: 'agent.plan', ...s(1), t: 12, items: [{ text: 'Fix', status: 'in_progress' }, { text: 'Test', status: 'pending' }] },
    { type: 'tool.result', ...s(1), t: 12, id: 'c1', ok: true, summary: 'plan', ms: 1 },
    { type: 'agent.file', ...s(1), t: 14, path: 'src/cart.ts', action: 'edited', diff: '-a\n+b', added: 1, removed: 1 },
    { type: 'tool.result', ...s(1), t: 14, id: 'c2', ok: true, summary: 'edited', ms: 3 },
    { type: 'agent.step', requestId: id, t: 15, step: 1, usage, cost: 0.01, ms: 900, totalTokens: 120, totalCost: 0.01 },
    { type: 'agent.step.start', requestId: id, t: 20, step: 2 },
    { type: 'reasoning.delta', ...s(2), t: 21, text: 'Run the tests.' },
    { type: 'tool.call', ...s(2), t: 22, id: 'c3', name: 'run_check', arguments: '{}' },
    { type: 'agent.check', ...s(2), t: 23, name: 'test', command: 'npm test', state: 'running' },
    { type: 'agent.check', ...s(2), t: 24, name: 'test', command: 'npm test', state: 'failed', exitCode: 1, output: 'not ok' },
    { type: 'tool.result', ...s(2), t: 24, id: 'c3', ok: false, summary: 'failed', ms: 2, error: 'exit 1' },
    { type: 'agent.step', requestId: id, t: 25, step: 2, usage, cost: 0.02, ms: 800, totalTokens: 240, totalCost: 0.03 },
    { type: 'agent.step.start', requestId: id, t: 30, step: 3 },
    { type: 'tool.call', ...s(3), t: 31, id: 'c4', name: 'edit_file', arguments: '{"path":"src/cart.ts"}' },
    { type: 'agent.file', ...s(3), t: 32, path: 'src/cart.ts', action: 'edited', diff: '-b\n+c', added: 1, removed: 1 },
    { type: 'tool.result', ...s(3), t: 32, id: 'c4', ok: true, summary: 'edited', ms: 3 },
  ];
  if (ended) {
    ev.push(
      { type: 'content.delta', ...s(3), t: 33, text: 'Done.' },
      { type: 'agent.step', requestId: id, t: 34, step: 3, usage, cost: 0.005, ms: 300, totalTokens: 360, totalCost: 0.035 },
      // Ponder runs the checks itself after the model stops: still step 3.
      { type: 'agent.check', ...s(3), t: 35, name: 'test', command: 'npm test', state: 'running' },
      { type: 'agent.check', ...s(3), t: 36, name: 'test', command: 'npm test', state: 'passed', exitCode: 0 },
      {
        type: 'agent.task.end', requestId: id, t: 37, taskId: id, reason: 'checks-passed', ok: true, message: 'The checks pass.', rounds: 3, usage, cost: 0.035, ms: 3000,
        files: [{ path: 'src/cart.ts', action: 'edited' }], checkpoint: id,
      },
      { type: 'request.end', requestId: id, t: 38, finishReason: 'stop', ms: 38 },
    );
  }
  return ev;
}

/** A trace recorded before events carried their step: agent.step came when a turn ended, after its tool calls. */
function task(ended: boolean): PonderEvent[] {
  const ev: PonderEvent[] = [
    { type: 'request.start', requestId: id, t: 0, endpoint: 'wire', model: 'm', command: 'agent', prompt: 'Fix remove()' },
    {
      type: 'agent.task.start', requestId: id, t: 1, taskId: id, task: 'Fix remove()', root: '/w', approve: 'commands',
      limits: { maxRounds: 40, maxTokens: 1e6, maxCost: null, maxMs: 60_000 }, checks: [{ name: 'lint', command: 'npm run lint' }, { name: 'test', command: 'npm test' }], checkpoint: id,
    },
    { type: 'tool.call', requestId: id, t: 10, id: 'c1', name: 'update_plan', arguments: '{}' },
    { type: 'tool.call', requestId: id, t: 11, id: 'c2', name: 'edit_file', arguments: '{"path":"src/cart.ts"}' },
    { type: 'agent.step', requestId: id, t: 12, step: 1, usage, cost: 0.01, ms: 900, totalTokens: 120, totalCost: 0.01 },
    { type: 'agent.plan', requestId: id, t: 13, items: [{ text: 'Fix', status: 'in_progress' }, { text: 'Test', status: 'pending' }] },
    { type: 'tool.result', requestId: id, t: 14, id: 'c2', ok: true, summary: 'edited', ms: 3 },
    { type: 'agent.file', requestId: id, t: 14, path: 'src/cart.ts', action: 'edited', diff: '-a\n+b', added: 1, removed: 1 },
    { type: 'agent.check', requestId: id, t: 15, name: 'test', command: 'npm test', state: 'running' },
    { type: 'agent.check', requestId: id, t: 16, name: 'test', command: 'npm test', state: 'failed', exitCode: 1, output: 'not ok' },
    { type: 'tool.call', requestId: id, t: 20, id: 'c3', name: 'edit_file', arguments: '{"path":"src/cart.ts"}' },
    { type: 'agent.step', requestId: id, t: 21, step: 2, usage, cost: 0.02, ms: 800, totalTokens: 240, totalCost: 0.03 },
    { type: 'agent.file', requestId: id, t: 22, path: 'src/cart.ts', action: 'edited', diff: '-b\n+c', added: 1, removed: 1 },
    { type: 'agent.check', requestId: id, t: 23, name: 'test', command: 'npm test', state: 'running' },
    { type: 'agent.check', requestId: id, t: 24, name: 'test', command: 'npm test', state: 'passed', exitCode: 0 },
    { type: 'agent.plan', requestId: id, t: 25, items: [{ text: 'Fix', status: 'done' }, { text: 'Test', status: 'in_progress' }] },
  ];
  if (ended) {
    ev.push(
      { type: 'agent.step', requestId: id, t: 30, step: 3, usage, cost: 0.005, ms: 300, totalTokens: 360, totalCost: 0.035 },
      {
        type: 'agent.task.end', requestId: id, t: 31, taskId: id, reason: 'checks-passed', ok: true, message: 'The checks pass.', rounds: 3, usage, cost: 0.035, ms: 3000,
        files: [{ path: 'src/cart.ts', action: 'edited' }], checkpoint: id,
      },
      { type: 'request.end', requestId: id, t: 32, finishReason: 'stop', ms: 32 },
    );
  }
  return ev;
}

describe('agent task in the sidebar: steps', () => {
  it('puts each step\'s reasoning, tool calls, file changes, checks and cost under that step', () => {
    const steps = agentSteps(buildView(id, stamped(true)));
    assert.deepEqual(steps.map((s) => s.step), [1, 2, 3]);
    assert.deepEqual(steps.map((s) => s.tools.map((t) => t.id)), [['c1', 'c2'], ['c3'], ['c4']]);
    assert.deepEqual(steps.map((s) => s.files.map((f) => f.diff)), [['-a\n+b'], [], ['-b\n+c']], 'each edit under the step that made it');
    assert.deepEqual(steps.map((s) => s.checks.map((c) => c.state)), [[], ['failed'], ['passed']], 'the check the model ran in step 2 there; the one Ponder ran after the model stopped, in the last step');
    assert.deepEqual(steps.map((s) => s.reasoning), ['findIndex gives -1.', 'Run the tests.', '']);
    assert.deepEqual(steps.map((s) => s.cost), [0.01, 0.02, 0.005]);
    assert.ok(!steps.some((s) => s.running), 'a finished task has no running step');
    const ids = steps.flatMap((s) => s.tools.map((t) => t.id));
    assert.equal(new Set(ids).size, ids.length, 'no tool call in two steps');
  });

  it('while a step runs it is marked running; between turns the turn to come is shown waiting', () => {
    const running = agentSteps(buildView(id, stamped(false)));
    assert.deepEqual(running.map((s) => [s.step, !!s.running]), [[1, false], [2, false], [3, true]]);
    assert.equal(running[2].usage, undefined);
    const between = agentSteps(buildView(id, stamped(false).filter((e) => !(e.type === 'agent.step.start' && e.step === 3) && !('step' in e && e.step === 3))));
    assert.deepEqual(between.map((s) => [s.step, !!s.running]), [[1, false], [2, false], [3, true]]);
    assert.deepEqual(between[2].tools, []);
  });

  it('keeps deltas of different steps apart when the host merges them', () => {
    const merged = coalesceEvents([
      { type: 'reasoning.delta', requestId: id, t: 1, step: 1, text: 'a' },
      { type: 'reasoning.delta', requestId: id, t: 2, step: 1, text: 'b' },
      { type: 'reasoning.delta', requestId: id, t: 3, step: 2, text: 'c' },
    ]);
    assert.deepEqual(merged.map((e) => (e.type === 'reasoning.delta' ? [e.step, e.text] : [])), [[1, 'ab'], [2, 'c']]);
  });

  it('an older trace (no step on its events): each tool call in the turn that made it, file changes and checks after the turn that caused them', () => {
    const steps = agentSteps(buildView(id, task(true)));
    assert.deepEqual(steps.map((s) => s.step), [1, 2, 3]);
    assert.deepEqual(steps[0].tools.map((t) => t.id), ['c1', 'c2']);
    assert.deepEqual(steps[0].files.map((f) => f.diff), ['-a\n+b']);
    assert.deepEqual(steps[0].checks.map((c) => c.state), ['failed'], 'the running check became its result');
    assert.deepEqual(steps[1].tools.map((t) => t.id), ['c3']);
    assert.deepEqual(steps[1].checks.map((c) => c.state), ['passed']);
    assert.equal(steps[1].cost, 0.02);
    assert.equal(steps[2].tools.length, 0);
    assert.ok(!steps.some((s) => s.running), 'a finished task has no running step');
  });

  it('an older trace shows the turn in progress while the task runs', () => {
    const steps = agentSteps(buildView(id, task(false)));
    assert.equal(steps.at(-1)?.step, 3);
    assert.equal(steps.at(-1)?.running, true);
    assert.equal(steps.at(-1)?.usage, undefined);
  });

  it('counts the plan, keeps the latest run of each check in the configured order, and totals the cost', () => {
    const view = buildView(id, task(true));
    const agent = view.agent!;
    assert.deepEqual(planProgress(agent), { done: 1, total: 2, current: 'Test' });
    assert.deepEqual(latestChecks(agent).map((c) => [c.name, c.state]), [['test', 'passed']]);
    assert.equal(taskCost(agent), 0.035);
    assert.equal(taskCost(buildView(id, task(false)).agent!), 0.03);
  });

  it('files changed: a file the task created and then edited counts its lines as new, none removed', () => {
    const ev = stamped(true);
    ev.splice(ev.findIndex((e) => e.type === 'agent.step' && e.step === 1), 0,
      { type: 'agent.file', requestId: id, t: 14, step: 1, path: 'test/new.test.mjs', action: 'created', diff: '+a\n+b\n+c', added: 3, removed: 0 },
      { type: 'agent.file', requestId: id, t: 14, step: 1, path: 'test/new.test.mjs', action: 'edited', diff: '-b\n+B', added: 1, removed: 1 });
    assert.deepEqual(changedFiles(buildView(id, ev).agent!).map((f) => [f.path, f.action, f.added, f.removed]), [
      ['src/cart.ts', 'edited', 2, 2], ['test/new.test.mjs', 'created', 3, 0],
    ]);
  });

  it('has no steps for a request that is not an agent task', () => {
    assert.deepEqual(agentSteps(buildView(id, [task(false)[0]])), []);
  });
});
