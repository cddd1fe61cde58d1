import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedPort, startWireServer, type WireServer } from '../../fixtures/wire';
import { modelsCommand } from '../../../src/cli/models';
import { SECRET } from './helpers';

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()) {
  let out = '';
  let err = '';
  const code = await modelsCommand(argv.slice(1), { out: (t) => { out += t; }, err: (t) => { err += t; }, env, cwd });
  return { code, out, err };
}

describe('ponder models', () => {
  let wire: WireServer;
  let dir: string;
  before(async () => {
    wire = await startWireServer({ apiKey: SECRET, modelsRequireKey: true, models: [{ id: 'mai-thinking-1', max_model_len: 131072 }, { id: 'small' }] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-models-'));
    fs.mkdirSync(path.join(dir, '.vscode'));
    // JSONC, as VS Code writes it: comments and a trailing comma.
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), `{
      // team endpoints
      "ponder.endpoints": [
        { "id": "team", "provider": "vllm", "baseUrl": "${wire.url}", "model": "mai-thinking-1", "auth": "apiKey" },
        { "id": "broken", "provider": "nope" },
      ],
    }`);
  });
  after(async () => { await wire.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('--base-url with --api-key-env lists models and their context windows', async () => {
    const r = await cli(['models', '--base-url', wire.url, '--api-key-env', 'K'], { K: SECRET });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /mai-thinking-1\s+131,072 tokens/);
    assert.match(r.out, /small\s+context window not reported/);
  });

  it('--endpoint from .vscode/settings.json under --root, --json output; other bad profiles are warned about', async () => {
    const r = await cli(['models', '--endpoint', 'team', '--root', dir, '--api-key-env', 'K', '--json'], { K: SECRET });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), { endpoint: 'team', baseUrl: wire.url, models: [{ id: 'mai-thinking-1', contextWindow: 131072 }, { id: 'small' }] });
    assert.match(r.err, /warning: .*Profile "broken"/);
  });

  it('exit 1 with the actionable error when the request fails, and the key never printed', async () => {
    const r = await cli(['models', '--base-url', wire.url, '--api-key-env', 'K'], { K: `${SECRET}-bad` });
    assert.equal(r.code, 1);
    assert.match(r.err, /refused the key/);
    assert.ok(!(r.out + r.err).includes(SECRET));
    const closed = await closedPort();
    const down = await cli(['models', '--base-url', closed]);
    assert.equal(down.code, 1);
    // The URL the user gave, never the built-in default's localhost:8000 or a profile "cli" they never named.
    assert.ok(down.err.includes(`No server at ${closed}`), down.err);
    assert.ok(down.err.includes(`Is a server running at ${closed}?`), down.err);
    assert.ok(down.err.includes('--base-url'), down.err);
    assert.doesNotMatch(down.err, /localhost:8000|profile "cli"/);
  });

  it('exit 2 for bad usage: unknown endpoint (listing the known ones), unset key variable, unknown flag', async () => {
    const unknown = await cli(['models', '--endpoint', 'nope', '--root', dir]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--endpoint "nope" is not a profile in .*settings\.json; known: team/);
    const noKey = await cli(['models', '--base-url', wire.url, '--api-key-env', 'MISSING']);
    assert.equal(noKey.code, 2);
    assert.match(noKey.err, /MISSING: that environment variable is not set/);
    assert.equal((await cli(['models', '--bogus'])).code, 2);
  });
});
