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

  it('one malformed rule does not empty "ponder.routing" in the settings registry (routing names it instead)', () => {
    const raw = [{ when: { comand: 'fix' }, endpoint: 'mai' }, { when: { command: 'explain' }, endpoint: 'team-vllm' }];
    const { settings, problems } = readSettings((key) => (key === 'ponder.routing' ? raw : undefined));
    assert.deepEqual(settings['ponder.routing'], [raw[1]]);
    assert.deepEqual(problems, []);
    const cfg = routingConfigFromSettings([{ id: 'mai' }, { id: 'team-vllm', provider: 'vllm' }], raw, '');
    assert.equal(cfg.problems.length, 1);
    assert.match(cfg.problems[0].message, /ponder\.routing\[0\] is invalid/);
  });
});
