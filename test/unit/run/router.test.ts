import assert from 'node:assert/strict';
import { RoutingError, validateRoutingRules } from '../../../src/core/routing';
import { RequestRouter } from '../../../src/core/run/router';
import { contextBudgetFor } from '../../../src/core/run/stages/pack';
import { fixtureProfile } from './helpers';

/** The one place a request's endpoint is decided: first choice, prompt size, over budget, errors. */
describe('RequestRouter: every endpoint decision of a request', () => {
  const url = 'http://127.0.0.1:9/v1';
  const small = fixtureProfile(url, { id: 'small', contextWindow: 8192, maxOutputTokens: 1024 });
  const big = fixtureProfile(url, { id: 'big', contextWindow: 131072, maxOutputTokens: 1024 });
  const backup = fixtureProfile(url, { id: 'backup', contextWindow: 4096, maxOutputTokens: 1024 });
  const rulesFor = (raw: unknown[]) => {
    const { rules, problems } = validateRoutingRules(raw, ['small', 'big', 'backup']);
    assert.deepEqual(problems, []);
    return rules;
  };
  const fixed = 500;
  const budgetFor = contextBudgetFor(undefined, fixed);

  it('re-chooses by the packed prompt size, and asks for a repack only when the context exceeds the new budget', () => {
    const rules = rulesFor([{ when: { promptTokensOver: 4000 }, endpoint: 'big' }]);
    const router = new RequestRouter({ profiles: [small, big], rules, defaultId: 'small' }, 'ask', fixed, budgetFor);
    assert.equal(router.profile.id, 'small');
    assert.equal(router.waitsForPromptSize, true, 'request.start waits for the packed size');
    assert.deepEqual(router.decide({ on: 'packed', packedTokens: 3000 }), { action: 'keep' }, '3,500 tokens: still under the rule');
    const d = router.decide({ on: 'packed', packedTokens: 6000 });
    assert.equal(d.action, 'switch');
    assert.equal(router.profile.id, 'big');
    assert.equal(d.action === 'switch' && d.repack, false, 'a larger window holds what was packed');
    assert.match(router.startRoute()?.rule ?? '', /prompt > 4000 tokens/);
  });

  it('over budget: moves along the fallback rules, says so, and repacks for a smaller window', () => {
    const rules = rulesFor([{ fallback: ['big', 'backup'] }]);
    const router = new RequestRouter({ profiles: [small, big, backup], rules, defaultId: 'big' }, 'ask', fixed, budgetFor);
    assert.equal(router.waitsForPromptSize, false);
    const d = router.decide({ on: 'over-budget', packedTokens: 5000 });
    assert.equal(d.action, 'switch');
    if (d.action !== 'switch') return;
    assert.equal(d.profile.id, 'backup');
    assert.equal(d.repack, true, `5,000 packed tokens exceed backup's budget of ${budgetFor(backup)}`);
    assert.deepEqual(d.notice, { level: 'info', message: 'fallback: big is over its budget; switched to backup (fallback rule "routing[0] fallback big → backup")' });
    assert.deepEqual(router.decide({ on: 'over-budget', packedTokens: 100 }), { action: 'keep' }, 'nothing left to try');
  });

  it('on an error before output: falls back for a rate limit, never repacks, keeps for an error another profile would not fix', () => {
    const rules = rulesFor([{ fallback: ['small', 'backup'] }]);
    const router = new RequestRouter({ profiles: [small, backup], rules, defaultId: 'small' }, 'ask', fixed, budgetFor);
    assert.deepEqual(router.decide({ on: 'error', kind: 'auth', status: 401 }), { action: 'keep' });
    const d = router.decide({ on: 'error', kind: 'rate-limit', status: 429 });
    assert.equal(d.action === 'switch' && d.profile.id, 'backup');
    assert.equal(d.action === 'switch' && d.repack, false);
    assert.equal(d.action === 'switch' && d.notice?.level, 'warning');
    assert.deepEqual(router.decide({ on: 'error', kind: 'rate-limit', status: 429 }), { action: 'keep' }, 'small was tried already');
  });

  it('a fixed profile or an explicit override never switches; an unknown override is a RoutingError', () => {
    const fixedRouter = new RequestRouter({ profile: small, route: { rule: 'override', reason: 'picked' } }, 'ask', fixed, budgetFor);
    assert.deepEqual(fixedRouter.startRoute(), { rule: 'override', reason: 'picked' });
    for (const on of ['packed', 'over-budget'] as const) assert.deepEqual(fixedRouter.decide({ on, packedTokens: 9e9 }), { action: 'keep' });
    assert.deepEqual(fixedRouter.decide({ on: 'error', kind: 'rate-limit' }), { action: 'keep' });
    const rules = rulesFor([{ when: { promptTokensOver: 10 }, endpoint: 'big' }, { fallback: ['small', 'backup'] }]);
    const overridden = new RequestRouter({ profiles: [small, big, backup], rules, override: 'small' }, 'ask', fixed, budgetFor);
    assert.equal(overridden.waitsForPromptSize, false);
    assert.deepEqual(overridden.decide({ on: 'error', kind: 'rate-limit' }), { action: 'keep' });
    assert.throws(() => new RequestRouter({ profiles: [small], rules: [], override: 'nope' }, 'ask', fixed, budgetFor), RoutingError);
  });
});
