import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ledger } from '../../../src/core/cost/ledger';
import { HealthTracker, probeVllm } from '../../../src/core/health';
import { runRequest } from '../../../src/core/run/runRequest';
import { validateRoutingRules, describeRoute, chooseEndpoint } from '../../../src/core/routing';
import { closedPort, startWireServer, type WireServer } from '../../fixtures/wire';
import { mountMetrics } from '../../fixtures/wire/metrics';
import { answerTurn, assertValidEvents, fixtureProfile, ofType } from '../run/helpers';

/**
 * Routing through the real request runner, the real openai SDK and the wire fixture server,
 * whose /metrics and /health say how the self-hosted vLLM is doing.
 */
describe('routing through runRequest (wire fixture server with /metrics)', () => {
  let wire: WireServer;
  beforeEach(async () => { wire = await startWireServer(); });
  afterEach(async () => { await wire.close(); });

  const rulesFor = (ids: string[], raw: unknown[]) => {
    const { rules, problems } = validateRoutingRules(raw, ids);
    assert.deepEqual(problems, []);
    return rules;
  };
  const getApiKey = async () => undefined;

  it('routes away from a saturated vLLM before sending, with the reason in request.start', async () => {
    const metrics = mountMetrics(wire, 'saturated');
    const team = fixtureProfile(wire.url, { id: 'team-vllm', model: 'team-model' });
    const backup = fixtureProfile(wire.url, { id: 'backup', provider: 'openai-compatible', model: 'backup-model' });
    const tracker = new HealthTracker();
    tracker.update(await probeVllm(team));
    tracker.update(await probeVllm(team));
    assert.equal(tracker.state.saturated, true);
    assert.equal(metrics.hits['/metrics'], 2);

    wire.enqueue(answerTurn('From the backup.'));
    const rules = rulesFor(['team-vllm', 'backup'], [{ name: 'explain on our GPU', when: { command: 'explain' }, endpoint: 'team-vllm' }, { fallback: ['team-vllm', 'backup'] }]);
    const r = await runRequest({ prompt: 'Explain this.', command: 'explain', endpoint: { profiles: [team, backup], rules, health: new Map([['team-vllm', tracker.state]]) }, getApiKey });
    assertValidEvents(r.events);
    const start = ofType(r.events, 'request.start')[0];
    assert.equal(start.endpoint, 'backup');
    assert.match(start.route?.reason ?? '', /^"explain on our GPU" chose team-vllm \(command "explain" matched\), but team-vllm is saturated \(KV cache stays above 85% or its queue keeps growing\); switched to backup$/);
    assert.equal(wire.chatRequests.length, 1);
    assert.equal(wire.chatRequests[0].body?.model, 'backup-model', 'the saturated server got no chat request');
    assert.equal(r.answer, 'From the backup.');
  });

  it('falls back when the primary is down (connection refused), saying so in the trace', async () => {
    const down = fixtureProfile(await closedPort(), { id: 'team-vllm', model: 'team-model' });
    const backup = fixtureProfile(wire.url, { id: 'backup', provider: 'openai-compatible', model: 'backup-model' });
    wire.enqueue(answerTurn('Answered by the backup.'));
    const rules = rulesFor(['team-vllm', 'backup'], [{ fallback: ['team-vllm', 'backup'] }]);
    const r = await runRequest({ prompt: 'Why?', command: 'ask', endpoint: { profiles: [down, backup], rules, defaultId: 'team-vllm' }, getApiKey });
    assertValidEvents(r.events);
    const start = ofType(r.events, 'request.start')[0];
    assert.equal(start.endpoint, 'team-vllm');
    assert.equal(start.route?.rule, 'default');
    const notice = ofType(r.events, 'notice').find((n) => /switched to backup/.test(n.message));
    assert.ok(notice, `no fallback notice in ${JSON.stringify(ofType(r.events, 'notice'))}`);
    assert.match(notice.message, /^fallback: team-vllm is down \(no answer from the server\); switched to backup \(fallback rule "routing\[0\] fallback team-vllm → backup"\)$/);
    assert.equal(r.answer, 'Answered by the backup.');
    assert.equal(r.profile?.id, 'backup');
    assert.equal(ofType(r.events, 'error').length, 0);
  });

  it('a fallback after an error carries the user\'s reasoning effort where it takes one, and sends none where it does not', async () => {
    const down = fixtureProfile(await closedPort(), { id: 'team-vllm', model: 'team-model' });
    const backup = fixtureProfile(wire.url, { id: 'backup', model: 'backup-model' });
    const mai = fixtureProfile(wire.origin, { id: 'mai', provider: 'foundry', model: 'mai-prod', auth: 'none' });
    wire.enqueue(answerTurn('Answered by the backup.'), answerTurn('Answered by MAI.'));
    const ask = (fallback: string[]) => runRequest({
      prompt: 'Why?', command: 'ask', reasoningEffort: 'high', getApiKey,
      endpoint: { profiles: [down, backup, mai], rules: rulesFor(['team-vllm', 'backup', 'mai'], [{ fallback }]), defaultId: 'team-vllm' },
    });
    const r = await ask(['team-vllm', 'backup']);
    assert.equal(r.profile?.id, 'backup');
    assert.equal(ofType(r.events, 'request.start')[0].effort, 'high');
    assert.equal(wire.chatRequests[0].body?.model, 'backup-model');
    assert.equal(wire.chatRequests[0].body?.reasoning_effort, 'high', 'the pick follows the request to the fallback');
    // MAI on Foundry documents no effort control: the fallback there sends none.
    const m = await ask(['team-vllm', 'mai']);
    assert.equal(m.profile?.id, 'mai');
    assert.equal(wire.chatRequests[1].path, '/mai/v1/chat/completions');
    assert.equal('reasoning_effort' in (wire.chatRequests[1].body ?? {}), false);
  });

  it('falls back to a profile that fits the per-request budget before asking, saying why', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-route-budget-'));
    try {
      const pricey = fixtureProfile(wire.url, { id: 'mai', model: 'mai-model', pricing: { inputPerMTok: 50, outputPerMTok: 200 } });
      const gpu = fixtureProfile(wire.url, { id: 'team-vllm', model: 'team-model' });
      wire.enqueue(answerTurn('From our own GPU.'));
      const rules = rulesFor(['mai', 'team-vllm'], [{ fallback: ['mai', 'team-vllm'] }]);
      let asked = 0;
      const r = await runRequest({
        prompt: 'Review this.', command: 'review', endpoint: { profiles: [pricey, gpu], rules, defaultId: 'mai' }, getApiKey,
        budget: { ledger: new Ledger(path.join(dir, 'ledger.jsonl')), budget: { perRequest: 0.01, daily: null, monthly: null, hardLimit: false }, confirm: async () => { asked++; return 'cancel'; } },
      });
      assertValidEvents(r.events);
      assert.equal(asked, 0, 'a fallback within budget exists, so the user is not asked');
      const notice = ofType(r.events, 'notice').find((n) => /switched to team-vllm/.test(n.message));
      assert.ok(notice, `no fallback notice in ${JSON.stringify(ofType(r.events, 'notice'))}`);
      assert.match(notice.message, /mai is over its budget/);
      assert.equal(wire.chatRequests.length, 1);
      assert.equal(wire.chatRequests[0].body?.model, 'team-model', 'the over-budget profile got no request');
      assert.equal(r.profile?.id, 'team-vllm');
      assert.equal(r.answer, 'From our own GPU.');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends a big prompt to the profile with the larger window (prompt-size rule)', async () => {
    const small = fixtureProfile(wire.url, { id: 'small', model: 'small-model', contextWindow: 8192, maxOutputTokens: 1024 });
    const big = fixtureProfile(wire.url, { id: 'big', model: 'big-model', contextWindow: 131072, maxOutputTokens: 1024 });
    wire.enqueue(answerTurn('Long answer.'), answerTurn('Short answer.'));
    const rules = rulesFor(['small', 'big'], [{ when: { promptTokensOver: 4000 }, endpoint: 'big' }]);
    const endpoint = { profiles: [small, big], rules, defaultId: 'small' };
    const long = await runRequest({ prompt: 'word '.repeat(6000), command: 'ask', endpoint, getApiKey });
    const start = ofType(long.events, 'request.start')[0];
    assert.equal(start.endpoint, 'big');
    assert.match(start.route?.rule ?? '', /prompt > 4000 tokens/);
    assert.equal(wire.chatRequests[0].body?.model, 'big-model');
    const short = await runRequest({ prompt: 'Short question?', command: 'ask', endpoint, getApiKey });
    assert.equal(ofType(short.events, 'request.start')[0].endpoint, 'small');
    assert.equal(wire.chatRequests[1].body?.model, 'small-model');
  });

  it('describeRoute gives `ponder ask` its "which profile and why" line', () => {
    const team = fixtureProfile(wire.url, { id: 'team-vllm', label: 'Team vLLM', model: 'team-model' });
    const route = chooseEndpoint({ profiles: [team], rules: [], defaultId: 'team-vllm' });
    assert.equal(describeRoute(route), 'endpoint team-vllm (Team vLLM, team-model) · default: no routing rule matched; "ponder.defaultEndpoint" is team-vllm');
  });
});
