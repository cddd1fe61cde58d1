import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import type { PonderEvent } from '../../../src/core/events';
import { buildView } from '../../../src/core/protocol/requestView';
import { assertValidEvents, fixtureProfile, ofType } from '../run/helpers';
import { agent, agentFixture, calls, done } from './helpers';

const CHECK_JS = `const a = require('./a.js');
if (a.total(2, 3) !== 5) { console.error('FAIL total(2, 3) should be 5, got ' + a.total(2, 3)); process.exit(1); }
console.log('ok');
`;

/** The step each event falls in by order: after step N's start, before step N+1's (0: before any). */
function stepByOrder(events: PonderEvent[]): number[] {
  let current = 0;
  return events.map((e) => (e.type === 'agent.step.start' ? (current = e.step) : current));
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('agent steps: every event of a step comes inside it and says so', function () {
  this.timeout(60_000);
  const f = agentFixture(() => ({ 'check.js': CHECK_JS, 'a.js': 'exports.total = (x, y) => x - y;\n', 'old.js': 'module.exports = 1;\n' }));

  it('step N starts before its reasoning, tool calls, file changes and checks, which carry N; the checks Ponder runs after the model stops belong to the last step', async () => {
    const plan = calls(['update_plan', { items: [{ text: 'Fix total', status: 'in_progress' }] }], ['read_file', { path: 'a.js' }]);
    const wrong = calls(['edit_file', { path: 'a.js', edits: [{ old_text: 'x - y', new_text: 'x * y' }] }], ['delete_file', { path: 'old.js' }]);
    const check1 = calls(['run_check', {}]);
    const fix = calls(['edit_file', { path: 'a.js', edits: [{ old_text: 'x * y', new_text: 'x + y' }] }]);
    // The model stops without running the check again: Ponder runs it (step 5's), it passes.
    f.wire.enqueue(plan, wrong, check1, fix, done('Fixed.'));
    const r = await agent(f.wire, f.repo, { checks: [{ name: 'test', command: 'node check.js' }] });
    assert.equal(r.reason, 'checks-passed', r.message);
    assertValidEvents(r.events);

    const starts = ofType(r.events, 'agent.step.start');
    assert.deepEqual(starts.map((e) => e.step), [1, 2, 3, 4, 5]);
    assert.equal(r.rounds, 5);
    const byOrder = stepByOrder(r.events);
    // Every event that belongs to a step carries the step it falls in by order; nothing before step 1 carries one.
    const inStep = new Set(['reasoning.delta', 'content.delta', 'tool.call', 'tool.approval', 'tool.result', 'agent.plan', 'agent.file', 'agent.check']);
    r.events.forEach((e, i) => {
      if (inStep.has(e.type)) assert.equal((e as { step?: number }).step, byOrder[i], `${e.type} #${i} in step ${byOrder[i]}`);
      if (e.type === 'agent.step') assert.equal(e.step, byOrder[i], `agent.step ${e.step} ends its own step`);
    });
    // What the sidebar groups: each step's work under that step.
    const stepOf = <T extends { step?: number }>(list: T[]) => list.map((e) => e.step);
    assert.deepEqual(ofType(r.events, 'reasoning.delta').map((e) => e.step), [1, 2, 3, 4, 5]);
    assert.deepEqual(ofType(r.events, 'tool.call').map((e) => [e.name, e.step]), [['update_plan', 1], ['read_file', 1], ['edit_file', 2], ['delete_file', 2], ['run_check', 3], ['edit_file', 4]]);
    assert.deepEqual(ofType(r.events, 'agent.file').map((e) => [e.path, e.action, e.step]), [['a.js', 'edited', 2], ['old.js', 'deleted', 2], ['a.js', 'edited', 4]]);
    assert.deepEqual(ofType(r.events, 'agent.check').map((e) => [e.state, e.step]), [['running', 3], ['failed', 3], ['running', 5], ['passed', 5]]);
    assert.deepEqual(stepOf(ofType(r.events, 'agent.plan')), [1]);
    assert.deepEqual(ofType(r.events, 'agent.step').map((e) => [e.step, e.cost]), [[1, 0.0014], [2, 0.0014], [3, 0.0014], [4, 0.0014], [5, 0.0014]]);
    // The task's frame and totals belong to no step.
    for (const type of ['agent.task.start', 'agent.task.end', 'usage', 'cost', 'request.end'] as const) {
      for (const e of ofType(r.events, type)) assert.equal((e as { step?: number }).step, undefined, type);
    }
    // Each tool call is told once: one tool.call and one tool.result per id.
    const ids = ofType(r.events, 'tool.call').map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(ofType(r.events, 'tool.result').map((e) => e.id).sort(), [...ids].sort());
    // The request view folds it: files and checks by step, steps as they started.
    const view = buildView(r.taskId, r.events).agent!;
    assert.deepEqual(view.started.map((s) => s.step), [1, 2, 3, 4, 5]);
    assert.deepEqual(view.changes.map((c) => c.step), [2, 2, 4]);
    assert.deepEqual(view.checkRuns.map((c) => [c.state, c.step]), [['failed', 3], ['passed', 5]]);
  });

  it('a turn that never reaches the endpoint is no step: no step event, 0 rounds, the error says why', async () => {
    const port = await closedPort();
    const r = await agent(f.wire, f.repo, { endpoint: { profile: fixtureProfile(`http://127.0.0.1:${port}/v1`) } });
    assert.equal(r.reason, 'error', r.message);
    assert.equal(r.rounds, 0);
    assert.equal(ofType(r.events, 'agent.step.start').length, 0);
    assert.equal(ofType(r.events, 'agent.step').length, 0);
    assert.equal(ofType(r.events, 'agent.task.end')[0].rounds, 0);
    const error = ofType(r.events, 'error')[0];
    assert.equal(error.kind, 'connection');
    assert.equal(error.step, undefined);

    // Nor does a turn refused before sending (no key for a profile that needs one).
    const keyed = await agent(f.wire, f.repo, { endpoint: { profile: fixtureProfile(f.wire.url, { provider: 'openai-compatible', auth: 'apiKey' }) } });
    assert.equal(keyed.reason, 'error', keyed.message);
    assert.equal(keyed.rounds, 0);
    assert.equal(ofType(keyed.events, 'agent.step.start').length, 0);
    assert.match(ofType(keyed.events, 'error')[0].message, /No API key is stored for profile "fixture"/);
    assert.equal(f.wire.chatRequests.length, 0);
  });
});
