import * as assert from 'node:assert/strict';
import { PonderEventSchema, type PonderEvent } from '../../../src/core/events';
import { changedFiles } from '../../../src/core/protocol/agentView';
import { HostMessageSchema } from '../../../src/core/protocol/messages';
import { buildView } from '../../../src/core/protocol/requestView';

const usage = { prompt: 100, cached: 0, completion: 20, reasoning: 5, cacheWrite: 0 };
const t = (n: number) => 1_000 + n;

/** A short task as the agent emits it. */
const TASK: PonderEvent[] = [
  { type: 'request.start', requestId: 'T', t: t(0), endpoint: 'e', model: 'm', command: 'agent', prompt: 'rename foo' },
  {
    type: 'agent.task.start', requestId: 'T', t: t(1), taskId: 'T', task: 'rename foo', root: '/ws', approve: 'commands',
    limits: { maxRounds: 30, maxTokens: 500_000, maxCost: 1, maxMs: 600_000 }, checks: [{ name: 'test', command: 'npm test' }], checkpoint: 'T',
  },
  { type: 'agent.plan', requestId: 'T', t: t(2), items: [{ text: 'rename', status: 'in_progress' }, { text: 'test', status: 'pending' }] },
  { type: 'agent.step', requestId: 'T', t: t(3), step: 1, usage, cost: 0.01, ms: 900, totalTokens: 120, totalCost: 0.01 },
  { type: 'agent.file', requestId: 'T', t: t(4), path: 'a.ts', action: 'edited', diff: '-x\n+y\n', added: 1, removed: 1 },
  { type: 'agent.file', requestId: 'T', t: t(5), path: 'b.ts', action: 'created', diff: '+z\n', added: 1, removed: 0 },
  { type: 'agent.file', requestId: 'T', t: t(6), path: 'c.ts', action: 'renamed', from: 'b.ts', diff: '', added: 0, removed: 0 },
  { type: 'agent.file', requestId: 'T', t: t(7), path: 'old.ts', action: 'deleted', diff: '-q\n', added: 0, removed: 1 },
  { type: 'agent.check', requestId: 'T', t: t(8), name: 'test', command: 'npm test', state: 'running' },
  { type: 'agent.check', requestId: 'T', t: t(9), name: 'test', command: 'npm test', state: 'failed', exitCode: 1, output: 'FAIL a', ms: 40 },
  { type: 'agent.condensed', requestId: 'T', t: t(10), outputs: 3, calls: ['c1', 'c2', 'c3'], tokensBefore: 9000, tokensAfter: 2000, window: 10000 },
  { type: 'agent.plan', requestId: 'T', t: t(11), items: [{ text: 'rename', status: 'done' }, { text: 'test', status: 'done' }] },
  {
    type: 'agent.task.end', requestId: 'T', t: t(12), taskId: 'T', reason: 'limit', ok: false, message: 'The cost cap was reached.',
    limit: { kind: 'cost', max: 1, used: 1.02 }, rounds: 4, usage, cost: 1.02, ms: 5000,
    files: [{ path: 'a.ts', action: 'edited' }, { path: 'c.ts', action: 'created' }, { path: 'old.ts', action: 'deleted' }], checkpoint: 'T',
  },
  { type: 'request.end', requestId: 'T', t: t(13), finishReason: 'error', ms: 5000 },
];

/** After the task: the user keeps one file from the review, then undoes the rest. */
const DECIDED: PonderEvent[] = [
  ...TASK,
  { type: 'agent.decision', requestId: 'T', t: t(20), taskId: 'T', action: 'keep', paths: ['a.ts'], remaining: 2 },
  { type: 'agent.decision', requestId: 'T', t: t(21), taskId: 'T', action: 'undo', paths: ['c.ts', 'old.ts'], remaining: 0 },
];

describe('agent events', () => {
  it('are part of the one event model and pass the webview protocol', () => {
    for (const e of TASK) assert.equal(PonderEventSchema.safeParse(e).success, true, e.type);
    const parsed = HostMessageSchema.safeParse({ type: 'update', requests: [], selected: 'T', events: TASK });
    assert.equal(parsed.success, true);
  });

  it('after the task, record which files the user undid or kept and that none is left to decide', () => {
    for (const e of DECIDED.slice(TASK.length)) assert.equal(PonderEventSchema.safeParse(e).success, true, e.type);
    assert.equal(HostMessageSchema.safeParse({ type: 'update', requests: [], selected: 'T', events: DECIDED }).success, true);
    const mid = buildView('T', DECIDED.slice(0, -1)).agent!;
    assert.deepEqual([mid.decided, mid.remaining], [{ 'a.ts': 'kept' }, 2]);
    const a = buildView('T', DECIDED).agent!;
    assert.deepEqual(a.decided, { 'a.ts': 'kept', 'c.ts': 'undone', 'old.ts': 'undone' });
    assert.equal(a.remaining, 0);
    assert.equal(buildView('T', TASK).agent!.remaining, undefined, 'no decision yet: Review and Undo stay offered');
  });

  it('fold into the request view as one task: plan, steps, files, checks, condensing, the end', () => {
    const v = buildView('T', TASK);
    const a = v.agent!;
    assert.equal(a.task, 'rename foo');
    assert.deepEqual(a.plan.map((i) => i.status), ['done', 'done']);
    assert.equal(a.steps.length, 1);
    assert.equal(a.totalCost, 0.01);
    assert.deepEqual(a.checkRuns.map((c) => [c.name, c.state, c.exitCode]), [['test', 'failed', 1]]);
    assert.equal(a.condensed[0].outputs, 3);
    assert.equal(a.end?.limit?.kind, 'cost');
    assert.deepEqual(changedFiles(a).map((f) => [f.path, f.action, f.from]), [
      ['a.ts', 'edited', undefined], ['c.ts', 'created', undefined], ['old.ts', 'deleted', undefined],
    ]);
  });
});
