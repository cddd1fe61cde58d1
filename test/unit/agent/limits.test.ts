import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NOTE_PREFIX } from '../../../src/core/agent/condense';
import { chunk, usageChunk, type RecordedRequest, type Scenario } from '../../fixtures/wire';
import { assertValidEvents, fixtureProfile, ofType } from '../run/helpers';
import { agent, agentFixture, calls, done, idOf, sent, toolReply, TURN_USAGE } from './helpers';

/** A model that never stops: every turn lists a different folder. */
function runaway(delayMs = 0): Scenario {
  let i = 0;
  return {
    name: 'runaway',
    steps: () => [
      ...(delayMs ? [{ delayMs }] : []),
      { data: chunk({ tool_calls: [{ index: 0, id: `loop_${++i}`, type: 'function', function: { name: 'list_files', arguments: JSON.stringify({ path: '.', glob: `**/*${i}*` }) } }] }) },
      { data: chunk({}, 'tool_calls') },
      { data: usageChunk(TURN_USAGE) },
    ],
  };
}

describe('agent limits and condensing', function () {
  this.timeout(60_000);
  const f = agentFixture(() => ({ 'src/a.js': 'exports.a = 1;\n' }));
  afterEach(() => f.wire.setScenario('vllm'));

  it('a runaway model is stopped by the round limit, with the reason', async () => {
    f.wire.setScenario(runaway());
    const r = await agent(f.wire, f.repo, { limits: { maxRounds: 3 } });
    assert.equal(r.reason, 'limit');
    assert.deepEqual(r.limit, { kind: 'rounds', max: 3, used: 3 });
    assert.match(r.message, /limit of 3 model turns was reached/);
    assert.equal(f.wire.chatRequests.length, 3);
    assert.equal(r.ok, false);
    assertValidEvents(r.events);
    assert.equal(ofType(r.events, 'request.end')[0].finishReason, 'error');
  });

  it('the token limit is checked before each turn: the turn that would pass it is not sent', async () => {
    f.wire.setScenario(runaway());
    const r = await agent(f.wire, f.repo, { limits: { maxTokens: 9000 } });
    assert.equal(r.reason, 'limit');
    assert.equal(r.limit?.kind, 'tokens');
    assert.equal(r.limit?.used, f.wire.chatRequests.length * 1100);
    assert.ok(r.limit!.used <= 9000);
    assert.ok(f.wire.chatRequests.length >= 2, `${f.wire.chatRequests.length} turns`);
    assert.match(r.message, /would pass the task's token limit of 9,000/);
  });

  it('the cost cap is checked before each turn (spent + the next prompt), and the spend stays under it', async () => {
    f.wire.setScenario(runaway());
    const r = await agent(f.wire, f.repo, { limits: { maxCost: 0.006 } });
    assert.equal(r.reason, 'limit');
    assert.equal(r.limit?.kind, 'cost');
    assert.ok(r.cost! <= 0.006, `spent ${r.cost}`);
    assert.equal(r.cost, Math.round(f.wire.chatRequests.length * 0.0014 * 1e6) / 1e6);
    assert.match(r.message, /cost cap of \$0\.006 would be passed by the next turn/);
    const steps = ofType(r.events, 'agent.step');
    assert.equal(steps.at(-1)!.totalCost, r.cost);
  });

  it('the wall-time limit stops a slow model mid-turn', async () => {
    f.wire.setScenario(runaway(250));
    const t0 = Date.now();
    const r = await agent(f.wire, f.repo, { limits: { maxMs: 600 } });
    assert.equal(r.reason, 'limit');
    assert.equal(r.limit?.kind, 'time');
    assert.ok(Date.now() - t0 < 3000);
    assert.match(r.message, /time limit of 0\.6 s was reached/);
  });

  it('near the window, older tool output is condensed to a note (plan and state restated); the latest outputs stay whole', async () => {
    const big = (k: number) => Array.from({ length: 160 }, (_, i) => `line ${i} of file ${k}: the quick brown fox ${k * 1000 + i} jumps`).join('\n') + '\n';
    for (let k = 1; k <= 5; k++) fs.writeFileSync(path.join(f.repo.root, `big${k}.txt`), big(k));
    const plan = calls(['update_plan', { items: [{ text: 'Read the files', status: 'in_progress' }] }]);
    const reads = [1, 2, 3, 4, 5].map((k) => calls(['read_file', { path: `big${k}.txt` }]));
    f.wire.enqueue(plan, ...reads, done('Read them all.'));
    const r = await agent(f.wire, f.repo, { endpoint: { profile: fixtureProfile(f.wire.url, { contextWindow: 12000, maxOutputTokens: 1000 }) } });
    assert.equal(r.reason, 'done', r.message);
    const condensed = ofType(r.events, 'agent.condensed');
    assert.ok(condensed.length >= 1, 'condensed at least once');
    assert.ok(condensed[0].tokensAfter < condensed[0].tokensBefore);
    assert.equal(condensed[0].window, 12000);
    assert.ok(condensed[0].calls.includes(idOf(reads[0])));
    // What the endpoint received after condensing: a note for the first read, the last reads whole, the plan restated.
    const i = f.wire.chatRequests.findIndex((q: RecordedRequest) => (toolReply(q, idOf(reads[0])) ?? '').startsWith(NOTE_PREFIX));
    assert.ok(i > 0, 'a request carried the note');
    const req = f.wire.chatRequests[i];
    assert.match(toolReply(req, idOf(reads[0]))!, /the output of read_file \{"path":"big1\.txt"\} \(\d+ tokens; it began: "1\tline 0 of file 1|the output of read_file/);
    const lastRead = reads.filter((s) => toolReply(req, idOf(s)) !== undefined).at(-1)!;
    assert.match(toolReply(req, idOf(lastRead))!, /the quick brown fox/);
    const state = sent(req).filter((m) => m.role === 'user').at(-1)!.content!;
    assert.match(state, /older tool output above was condensed/);
    assert.match(state, /\[~\] Read the files/);
    assert.equal(sent(req)[1].role, 'user', 'the task message stays');
    assert.match(String(sent(req)[1].content), /The user's task/);
  });
});
