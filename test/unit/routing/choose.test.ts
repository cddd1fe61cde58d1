import assert from 'node:assert/strict';
import { chooseEndpoint, nextFallback, fallbackCauseOf, validateRoutingRules, describeRoute, RoutingError, type RouteHealth } from '../../../src/core/routing';

const profiles = [
  { id: 'mai', label: 'MAI-Thinking-1', provider: 'foundry', contextWindow: 256_000, model: 'mai-thinking-1' },
  { id: 'team-vllm', label: 'Team vLLM', provider: 'vllm', contextWindow: 32_768, model: 'qwen3-32b' },
  { id: 'cheap', provider: 'openrouter', contextWindow: 128_000 },
];
const ids = profiles.map((p) => p.id);

function rules(raw: unknown[]) {
  const { rules: valid, problems } = validateRoutingRules(raw, ids);
  assert.deepEqual(problems, [], 'test rules must be valid');
  return valid;
}

const teamRules = rules([
  { name: 'explain on our GPU', when: { command: 'explain' }, endpoint: 'team-vllm' },
  { when: { command: ['fix', 'refactor'] }, endpoint: 'mai' },
  { when: { promptTokensOver: 30_000 }, endpoint: 'mai' },
  { fallback: ['team-vllm', 'cheap', 'mai'] },
]);

describe('routing: chooseEndpoint', () => {
  it('routes by command, slash commands included, and names the rule', () => {
    const r = chooseEndpoint({ rules: teamRules, profiles, command: '/explain', promptTokens: 2000 });
    assert.equal(r.profile.id, 'team-vllm');
    assert.equal(r.rule, 'explain on our GPU');
    assert.match(r.reason, /command "explain" matched/);
    assert.equal(chooseEndpoint({ rules: teamRules, profiles, command: 'refactor' }).profile.id, 'mai');
  });

  it('routes a big prompt to the profile with the larger window', () => {
    const r = chooseEndpoint({ rules: teamRules, profiles, defaultId: 'cheap', command: 'ask', promptTokens: 40_000 });
    assert.equal(r.profile.id, 'mai');
    assert.match(r.rule, /prompt > 30000 tokens/);
    assert.match(r.reason, /prompt of 40000 tokens is over 30000/);
  });

  it('passes over a command rule whose profile cannot hold the prompt, and says so', () => {
    const r = chooseEndpoint({ rules: teamRules, profiles, command: 'explain', promptTokens: 60_000 });
    assert.equal(r.profile.id, 'mai');
    assert.match(r.reason, /explain on our GPU" was passed over: team-vllm's window of 32768 tokens cannot hold 60000/);
  });

  it('uses ponder.defaultEndpoint, else the first profile, when no rule matches', () => {
    const d = chooseEndpoint({ rules: teamRules, profiles, defaultId: 'cheap', command: 'review', promptTokens: 100 });
    assert.deepEqual([d.profile.id, d.rule], ['cheap', 'default']);
    assert.match(d.reason, /defaultEndpoint" is cheap/);
    const first = chooseEndpoint({ rules: [], profiles, command: 'review' });
    assert.equal(first.profile.id, 'mai');
    const stale = chooseEndpoint({ rules: [], profiles, defaultId: 'gone' });
    assert.equal(stale.profile.id, 'mai');
    assert.match(stale.reason, /"gone", which is not a configured profile/);
  });

  it('moves the default to a larger window when the prompt does not fit', () => {
    const r = chooseEndpoint({ rules: [], profiles, defaultId: 'team-vllm', promptTokens: 100_000 });
    assert.deepEqual([r.profile.id, r.rule], ['mai', 'window']);
  });

  it('an explicit override wins over every rule and is never switched away from', () => {
    const health = new Map<string, RouteHealth>([['cheap', { state: 'down' }]]);
    const r = chooseEndpoint({ rules: teamRules, profiles, override: 'cheap', overrideSource: 'Select Endpoint', command: 'explain', health });
    assert.deepEqual([r.profile.id, r.rule], ['cheap', 'override']);
    assert.match(r.reason, /Select Endpoint/);
    assert.deepEqual(r.fallbacks, []);
  });

  it('refuses an unknown override by name, listing the known profiles', () => {
    assert.throws(() => chooseEndpoint({ rules: [], profiles, override: 'nope', overrideSource: '--endpoint' }), (e: unknown) => e instanceof RoutingError && /"nope" \(from --endpoint\).*"mai", "team-vllm", "cheap"/.test(e.message));
    assert.throws(() => chooseEndpoint({ rules: [], profiles: [] }), RoutingError);
  });

  it('routes away from a saturated or down server when a fallback exists, saying why', () => {
    const saturated = new Map<string, RouteHealth>([['team-vllm', { state: 'degraded', saturated: true }]]);
    const r = chooseEndpoint({ rules: teamRules, profiles, command: 'explain', health: saturated });
    assert.equal(r.profile.id, 'cheap');
    assert.match(r.rule, /fallback team-vllm → cheap → mai/);
    assert.match(r.reason, /team-vllm is saturated .*switched to cheap/);
    assert.deepEqual(r.fallbacks.map((p) => p.id), ['mai', 'team-vllm'], 'the saturated server is the last resort');
    assert.deepEqual(r.switchedFrom, { id: 'team-vllm', cause: 'saturated' });
    assert.equal(nextFallback(r, 'cheap', 'rate-limit', { health: saturated, tried: ['mai'] })?.profile.id, 'team-vllm');

    const down = new Map<string, RouteHealth>([['team-vllm', { state: 'down' }], ['cheap', { state: 'down' }]]);
    assert.equal(chooseEndpoint({ rules: teamRules, profiles, command: 'explain', health: down }).profile.id, 'mai');
  });

  it('routes away from a profile over budget', () => {
    const r = chooseEndpoint({ rules: teamRules, profiles, command: 'fix', budgetExceeded: new Set(['mai']) });
    assert.equal(r.profile.id, 'team-vllm');
    assert.match(r.reason, /mai is over its budget/);
  });

  it('keeps a saturated primary when no fallback rule exists', () => {
    const saturated = new Map<string, RouteHealth>([['team-vllm', { state: 'degraded', saturated: true }]]);
    const r = chooseEndpoint({ rules: teamRules.filter((x) => !('fallback' in x)), profiles, command: 'explain', health: saturated });
    assert.equal(r.profile.id, 'team-vllm');
  });
});

describe('routing: nextFallback', () => {
  it('walks the fallback order on 429 and on down, skipping tried, down and over-budget profiles', () => {
    const route = chooseEndpoint({ rules: teamRules, profiles, command: 'explain' });
    assert.deepEqual(route.fallbacks.map((p) => p.id), ['cheap', 'mai']);
    const first = nextFallback(route, 'team-vllm', 'rate-limit');
    assert.equal(first?.profile.id, 'cheap');
    assert.match(first!.reason, /team-vllm was rate-limited \(429\); switched to cheap \(fallback rule "routing\[3\] fallback/);
    const second = nextFallback(route, 'cheap', 'down', { tried: ['team-vllm'] });
    assert.equal(second?.profile.id, 'mai');
    assert.match(second!.reason, /cheap is down/);
    assert.equal(nextFallback(route, 'mai', 'down', { tried: ['team-vllm', 'cheap'] }), undefined);
    assert.equal(nextFallback(route, 'team-vllm', 'rate-limit', { budgetExceeded: new Set(['cheap']), health: new Map([['mai', { state: 'down' as const }]]) }), undefined);
  });

  it('uses a saturated profile only when nothing healthier is left', () => {
    const route = chooseEndpoint({ rules: teamRules, profiles, command: 'explain' });
    const health = new Map<string, RouteHealth>([['cheap', { state: 'degraded', saturated: true }]]);
    assert.equal(nextFallback(route, 'team-vllm', 'down', { health })?.profile.id, 'mai');
    assert.equal(nextFallback(route, 'team-vllm', 'down', { health, tried: ['mai'] })?.profile.id, 'cheap');
  });

  it('maps error kinds to fallback causes, and leaves the rest alone', () => {
    assert.equal(fallbackCauseOf('rate-limit', 429), 'rate-limit');
    assert.equal(fallbackCauseOf('connection'), 'down');
    assert.equal(fallbackCauseOf('server', 503), 'down');
    assert.equal(fallbackCauseOf('server', 500), undefined);
    assert.equal(fallbackCauseOf('balance', 402), 'over-budget');
    assert.equal(fallbackCauseOf('auth', 401), undefined);
    assert.equal(fallbackCauseOf('context-length', 400), undefined);
  });
});

describe('routing: rule validation and description', () => {
  it('reports a rule naming an unknown profile by name and drops it; a fallback list only loses the unknown id', () => {
    const { rules: valid, problems } = validateRoutingRules([
      { when: { command: 'explain' }, endpoint: 'team-vlm' },
      { fallback: ['mai', 'typo'] },
      { when: { comand: 'fix' }, endpoint: 'mai' },
      { when: { command: 'fix' }, endpoint: 'mai' },
    ], ids);
    assert.equal(problems.length, 3);
    assert.match(problems[0].message, /unknown endpoint profile "team-vlm" \(profiles in "ponder.endpoints": "mai", "team-vllm", "cheap"\); the rule is ignored/);
    assert.equal(problems[0].key, 'ponder.routing[0]');
    assert.match(problems[1].message, /"typo".*left out of the fallback order/);
    assert.match(problems[2].message, /ponder.routing\[2\] is invalid/);
    assert.deepEqual(valid.map((r) => r.name), ['routing[1] fallback mai → typo', 'routing[3] command fix → mai']);
    assert.deepEqual((valid[0] as { fallback: string[] }).fallback, ['mai']);
  });

  it('describeRoute says which profile and why in one line', () => {
    const r = chooseEndpoint({ rules: teamRules, profiles, command: 'explain' });
    assert.equal(describeRoute(r), 'endpoint team-vllm (Team vLLM, qwen3-32b) · rule "explain on our GPU": command "explain" matched · fallbacks: cheap, mai');
    const d = chooseEndpoint({ rules: [], profiles, override: 'mai', overrideSource: '--endpoint' });
    assert.equal(describeRoute(d), 'endpoint mai (MAI-Thinking-1, mai-thinking-1) · override: chosen explicitly with --endpoint');
  });
});
