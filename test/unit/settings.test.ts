import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS, readSettings, parseEndpointProfiles, type SettingKey } from '../../src/core/config/settings';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
const contributed: Record<string, { default?: unknown; markdownDescription?: string; enum?: unknown[]; items?: { enum?: unknown[] } }> = pkg.contributes.configuration.properties;

describe('settings registry', () => {
  it('has exactly the settings package.json contributes', () => {
    assert.deepEqual(Object.keys(SETTINGS).sort(), Object.keys(contributed).sort());
  });

  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    it(`${key}: same default and a description in package.json, and the default validates`, () => {
      const spec = SETTINGS[key];
      assert.deepEqual(contributed[key].default, spec.default);
      assert.ok(contributed[key].markdownDescription && contributed[key].markdownDescription.length > 20, 'needs a markdownDescription');
      assert.ok(spec.schema.safeParse(spec.default).success, 'default must pass its own schema');
      for (const value of contributed[key].enum ?? []) assert.ok(spec.schema.safeParse(value).success, `enum value ${String(value)} must validate`);
      for (const value of contributed[key].items?.enum ?? []) assert.ok(spec.schema.safeParse([value]).success, `item enum ${String(value)} must validate`);
    });
  }

  it('replaces an invalid value by its default and names the setting', () => {
    const { settings, problems } = readSettings((key) => (key === 'ponder.tools.maxRounds' ? 'lots' : key === 'ponder.tools.enabled' ? 'read' : undefined));
    assert.equal(settings['ponder.tools.maxRounds'], 8);
    assert.equal(settings['ponder.tools.enabled'], 'read');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /ponder\.tools\.maxRounds/);
    assert.match(problems[0].message, /using the default 8/);
  });

  it('refuses a key pasted into an endpoint profile and says where it belongs, keeping the valid profiles', () => {
    const { profiles, problems } = parseEndpointProfiles([
      { id: 'mai', provider: 'foundry', apiKey: 'sk-secret-value' },
      { id: 'local', provider: 'vllm', baseUrl: 'http://localhost:8000/v1' },
      { id: 'hdr', headers: { Authorization: 'Bearer x' } },
    ]);
    assert.deepEqual(profiles.map((p) => p.id), ['local']);
    assert.equal(problems.length, 2);
    assert.match(problems[0].message, /Ponder: Set API Key/);
    assert.doesNotMatch(problems.map((p) => p.message).join('\n'), /sk-secret-value|Bearer x/);
    assert.match(problems[1].message, /SecretStorage/);
  });
});
