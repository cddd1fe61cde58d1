import * as assert from 'node:assert/strict';
import { endpointFromFlags, providerOfHost, type SettingsFile } from '../../../src/cli/askConfig';
import { readSettings } from '../../../src/core/config/settings';

/** `--base-url` without `--provider`: the host says which provider (and so which route, header and dialect). */
describe('ponder ask/models --base-url: the provider from the host', () => {
  const none: SettingsFile = { settings: readSettings(() => undefined).settings, profiles: [], rules: [], warnings: [] };
  const profileOf = (flags: Parameters<typeof endpointFromFlags>[0]) => {
    const { choice } = endpointFromFlags(flags, none);
    assert.ok('profile' in choice);
    return choice.profile;
  };

  it('a Foundry resource (services.ai.azure.com) is foundry: the MAI route, the api-key header, no effort control', () => {
    const p = profileOf({ 'base-url': 'https://team-res.services.ai.azure.com', model: 'mai-prod', 'api-key-env': 'KEY' });
    assert.equal(p.provider, 'foundry');
    assert.equal(p.baseUrl, 'https://team-res.services.ai.azure.com/mai/v1');
    assert.equal(p.foundryApi, 'mai');
    assert.equal(p.authHeader, 'api-key');
    assert.equal(p.effortControl, false);
  });

  it('an Azure OpenAI resource (openai.azure.com) is foundry on the OpenAI v1 route', () => {
    const p = profileOf({ 'base-url': 'https://team-res.openai.azure.com/', model: 'gpt-deploy' });
    assert.equal(p.provider, 'foundry');
    assert.equal(p.baseUrl, 'https://team-res.openai.azure.com/openai/v1');
  });

  it('--provider wins over the host; any other host stays openai-compatible', () => {
    assert.equal(profileOf({ 'base-url': 'https://team-res.services.ai.azure.com/gateway/v1', provider: 'openai-compatible' }).provider, 'openai-compatible');
    assert.equal(profileOf({ 'base-url': 'http://127.0.0.1:8000/v1' }).provider, 'openai-compatible');
    assert.equal(providerOfHost('openrouter.ai'), 'openrouter');
    assert.equal(providerOfHost('api.fireworks.ai'), 'fireworks');
    assert.equal(providerOfHost('inference.baseten.co'), 'baseten');
    // Only the suffix counts: a look-alike host is not Foundry.
    assert.equal(providerOfHost('services.ai.azure.com.evil.example'), 'openai-compatible');
  });
});
