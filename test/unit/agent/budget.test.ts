import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Budget } from '../../../src/core/cost/budget';
import { Ledger } from '../../../src/core/cost/ledger';
import type { AskBudget } from '../../../src/core/cost/preflight';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { assertValidEvents, fixtureProfile, ofType } from '../run/helpers';
import { agent, calls, done, gitRepo } from './helpers';

const NO_BUDGET: Budget = { perRequest: null, daily: null, monthly: null, hardLimit: false };

/** Five turns listing files, then done. */
function fiveTurns() {
  return [...[1, 2, 3, 4, 5].map((i) => calls(['list_files', { path: '.', glob: `**/*${i}*` }])), done('Looked around.')];
}

describe('agent and ponder.budget.*: checked before every model turn, as for ask', function () {
  this.timeout(60_000);
  let wire: WireServer;
  let repo: ReturnType<typeof gitRepo>;
  let ledger: Ledger;
  // A server per test: a task stopped early leaves its unsent turns in the queue.
  beforeEach(async () => {
    wire = await startWireServer();
    repo = gitRepo({ 'src/a.js': 'exports.a = 1;\n' });
    ledger = new Ledger(path.join(repo.state, 'ledger.jsonl'));
    // Spent today in another window, before the task.
    await ledger.append({ v: 1, id: 'earlier', time: new Date().toISOString(), endpoint: 'fixture', model: 'm', tokens: { prompt: 1, completion: 1 }, cost: 0.97, source: 'price-table', status: 'done' });
  });
  afterEach(async () => { await wire.close(); repo.cleanup(); });

  it('the daily budget stops the task before the turn that would pass it, naming the budget and the amounts; the 80% warning is said once', async () => {
    wire.enqueue(...fiveTurns());
    const r = await agent(wire, repo, { budget: { ledger, budget: { ...NO_BUDGET, daily: 0.985 } }, recordTo: { ledger } });
    assertValidEvents(r.events);
    assert.equal(r.reason, 'limit', r.message);
    assert.equal(r.limit?.kind, 'budget');
    const sentTurns = wire.chatRequests.length;
    assert.ok(sentTurns >= 1 && sentTurns < 6, `${sentTurns} turns sent`);
    assert.equal(r.rounds, sentTurns);
    // What was counted: the ledger's $0.97 plus the task's turns ($0.0014 each); under the budget.
    assert.equal(r.cost, Math.round(sentTurns * 0.0014 * 1e6) / 1e6);
    assert.equal(r.limit?.max, 0.985);
    assert.equal(r.limit?.used, Math.round((0.97 + r.cost!) * 1e6) / 1e6);
    assert.ok(r.limit!.used <= 0.985);
    assert.match(r.message, /^Stopped before the next model turn: Today's spend is \$0\.97\d* of the \$0\.985? daily budget \(ponder\.budget\.daily\); this request may cost up to \$0\.0\d+\. This task has spent \$0\.00\d+ so far\.$/);
    const end = ofType(r.events, 'agent.task.end')[0];
    assert.equal(end.limit?.kind, 'budget');
    const warnings = ofType(r.events, 'notice').filter((n) => /of your daily budget/.test(n.message));
    assert.equal(warnings.length, 1, 'one 80% warning per task');
    assert.match(warnings[0].message, /Ponder has used \d+% of your daily budget: \$0\.9\d+ of \$0\.985 \(ponder\.budget\.daily\)/);
    // The ledger then has the task too.
    const entries = await new Ledger(ledger.file).read();
    assert.deepEqual(entries.map((e) => [e.command ?? '', e.cost]), [['', 0.97], ['agent', r.cost]]);
  });

  it('over a budget with someone to ask: asked once, "send anyway" holds for the rest of the task; under ponder.budget.hardLimit nobody is asked', async () => {
    wire.enqueue(...fiveTurns());
    const asked: string[] = [];
    const confirm: AskBudget = async (refusal) => { asked.push(refusal.message); return 'send'; };
    const r = await agent(wire, repo, { budget: { ledger, budget: { ...NO_BUDGET, monthly: 0.975 }, confirm } });
    assert.equal(r.reason, 'done', r.message);
    assert.equal(wire.chatRequests.length, 6);
    assert.equal(asked.length, 1);
    assert.match(asked[0], /This month's spend is \$0\.97\d* of the \$0\.975? monthly budget \(ponder\.budget\.monthly\)/);

    await wire.close();
    wire = await startWireServer();
    wire.enqueue(...fiveTurns());
    const hard = await agent(wire, repo, { budget: { ledger, budget: { ...NO_BUDGET, daily: 0.975, hardLimit: true }, confirm } });
    assert.equal(hard.reason, 'limit');
    assert.equal(hard.limit?.kind, 'budget');
    assert.equal(asked.length, 1, 'not asked under hardLimit');
    assert.match(hard.message, /Refused: ponder\.budget\.hardLimit is on\./);
    assert.equal(wire.chatRequests.length, 0);
  });

  it('the cost cap defaults to $2; an unpriced endpoint is told once that the cap does not protect it; $0 means no cap', async () => {
    wire.enqueue(done('Nothing to do.'));
    const priced = await agent(wire, repo);
    assert.equal(ofType(priced.events, 'agent.task.start')[0].limits.maxCost, 2);
    assert.equal(ofType(priced.events, 'notice').filter((n) => /cost cap/.test(n.message)).length, 0);

    wire.enqueue(calls(['list_files', { path: '.' }]), done('Nothing to do.'));
    const unpriced = await agent(wire, repo, { endpoint: { profile: fixtureProfile(wire.url, { pricing: undefined }) } });
    const said = ofType(unpriced.events, 'notice').filter((n) => /cost cap/.test(n.message));
    assert.equal(said.length, 1);
    assert.match(said[0].message, /The cost cap \(\$2(\.00)?, ponder\.agent\.maxCost\) does not protect this task: "fixture" has no price in its profile/);
    assert.match(said[0].message, /the other limits hold \(40 turns, 2,000,000 tokens, 30 min\)/);
    assert.equal(unpriced.cost, null);

    wire.enqueue(done('Nothing to do.'));
    const uncapped = await agent(wire, repo, { limits: { maxCost: 0 } });
    assert.equal(uncapped.reason, 'done');
    assert.equal(ofType(uncapped.events, 'agent.task.start')[0].limits.maxCost, null);
  });
});
