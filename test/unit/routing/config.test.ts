import assert from 'node:assert/strict';
import { readSettings } from '../../../src/core/config/settings';
import { routingConfigFromSettings, chooseEndpoint } from '../../../src/core/routing';

describe('routing: configuration from settings', () => {
  it('resolves profiles, keeps the valid rules and names the problems', () => {
    const cfg = routingConfigFromSettings(
      [{ id: 'team-vllm', provider: 'vllm', baseUrl: 'http://gpu:8000/v1', contextWindow: 32768 }, { id: 'mai', provider: 'foundry', baseUrl: 'https://r.openai.azure.com/openai/v1', model: 'mai-thinking-1' }],
      [{ when: { command: 'explain' }, endpoint: 'team-vllm' }, { when: { command: 'fix' }, endpoint: 'mia' }],
      'nope',
    );
    assert.deepEqual(cfg.configured.map((p) => p.id), ['team-vllm', 'mai']);
    assert.equal(cfg.rules.length, 1);
    assert.deepEqual(cfg.problems.map((p) => p.key), ['ponder.routing[1]', 'ponder.defaultEndpoint']);
    assert.match(cfg.problems[0].message, /unknown endpoint profile "mia"/);
    assert.match(cfg.problems[1].message, /"nope", which is not a profile/);
    assert.equal(chooseEndpoint({ ...cfg, command: 'explain' }).profile.id, 'team-vllm');
  });

  it('with no profile configured, routes to the local vLLM default but marks nothing as configured (never polled)', () => {
    const cfg = routingConfigFromSettings(undefined, undefined, '');
    assert.deepEqual(cfg.configured, []);
    assert.deepEqual(cfg.profiles.map((p) => [p.id, p.provider]), [['local-vllm', 'vllm']]);
    assert.deepEqual(cfg.problems, []);
  });

  it('"ponder.routing" is validated in one place: the settings registry passes it through, routing names the malformed rule and keeps the others', () => {
    const raw = [{ when: { comand: 'fix' }, endpoint: 'mai' }, { when: { command: 'explain' }, endpoint: 'team-vllm' }];
    const { settings, problems } = readSettings((key) => (key === 'ponder.routing' ? raw : undefined));
    assert.deepEqual(settings['ponder.routing'], raw);
    assert.deepEqual(problems, [], 'the registry reports nothing about rules (routing does, once)');
    const cfg = routingConfigFromSettings([{ id: 'mai' }, { id: 'team-vllm', provider: 'vllm' }], raw, '');
    assert.equal(cfg.problems.length, 1);
    assert.match(cfg.problems[0].message, /ponder\.routing\[0\] is invalid/);
    assert.deepEqual(cfg.rules.map((r) => ('endpoint' in r ? r.endpoint : r.fallback)), ['team-vllm'], 'the good rule is kept');
  });

  it('a "ponder.routing" that is not a list is reported once, by routing', () => {
    const { problems } = readSettings((key) => (key === 'ponder.routing' ? { fix: 'mai' } : undefined));
    assert.deepEqual(problems, []);
    const cfg = routingConfigFromSettings([{ id: 'mai' }], { fix: 'mai' }, '');
    assert.equal(cfg.problems.length, 1);
    assert.match(cfg.problems[0].message, /"ponder\.routing" must be a list of rules/);
    assert.deepEqual(cfg.rules, []);
  });
});
