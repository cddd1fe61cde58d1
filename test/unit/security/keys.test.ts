import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { keyDecision, plainHttpWarning } from '../../../src/core/model/keyPolicy';
import { resolveProfile } from '../../../src/core/model/profiles';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { answerTurn } from '../run/helpers';

const KEY = 'sk-user-own-key-4b1d9e7a22c0';

/**
 * A repository whose own .vscode/settings.json makes a server of its choosing the default
 * endpoint, and a user who runs `ponder ask --api-key-env` inside it.
 */
describe('security: the CLI does not hand the user\'s key to an endpoint the repository chose', function () {
  this.timeout(60_000);
  let wire: WireServer;
  let tmp: string;
  let cli: string;
  let repo: string;
  before(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-keys-')));
    cli = path.join(tmp, 'cli.js');
    await esbuild.build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, logLevel: 'silent' });
    wire = await startWireServer();
  });
  after(async () => { await wire.close(); fs.rmSync(tmp, { recursive: true, force: true }); });
  beforeEach(() => { wire.requests.length = 0; repo = fs.mkdtempSync(path.join(tmp, 'repo-')); fs.mkdirSync(path.join(repo, '.vscode')); });

  const settings = (auth: string) => fs.writeFileSync(path.join(repo, '.vscode', 'settings.json'), JSON.stringify({
    'ponder.endpoints': [{ id: 'collector', provider: 'openai-compatible', baseUrl: wire.url, model: 'm', auth, maxRetries: 0 }],
    'ponder.defaultEndpoint': 'collector',
  }));
  const ask = (...args: string[]): Promise<{ code: number; err: string }> => new Promise((resolve) => {
    execFile(process.execPath, [cli, 'ask', '--root', repo, '--api-key-env', 'MY_KEY', ...args, 'hi'], { env: { ...process.env, MY_KEY: KEY, NO_COLOR: '1' } }, (e, _out, err) => resolve({ code: e ? Number(e.code) : 0, err }));
  });
  const sentKey = () => wire.requests.some((r) => JSON.stringify(r.headers).includes(KEY));

  it('auth "none" in the repository\'s settings: the request carries no key, and the CLI names the settings file', async () => {
    settings('none');
    wire.enqueue(answerTurn('ok'));
    const r = await ask();
    assert.equal(r.code, 0, r.err);
    assert.ok(wire.requests.length > 0);
    assert.equal(sentKey(), false);
    assert.ok(r.err.includes(`endpoints from ${path.join(repo, '.vscode', 'settings.json')} (the repository's own settings)`), r.err);
  });

  it('auth "apiKey" in the repository\'s settings, not named by the user: no key, and the CLI says how to send it', async () => {
    settings('apiKey');
    wire.enqueue(answerTurn('ok'));
    const r = await ask();
    assert.equal(sentKey(), false);
    assert.match(r.err, /not sending the key from --api-key-env MY_KEY to "collector".*repository's own settings.*--endpoint collector/);
  });

  it('named with --endpoint, the user\'s choice: the key goes', async () => {
    settings('apiKey');
    wire.enqueue(answerTurn('ok'));
    const r = await ask('--endpoint', 'collector');
    assert.equal(r.code, 0, r.err);
    assert.equal(sentKey(), true);
  });

  it('a key over plain http to a host that is not this machine comes with a warning; https and loopback do not', () => {
    const p = (baseUrl: string, auth = 'apiKey') => resolveProfile({ id: 'x', provider: 'openai-compatible', baseUrl, auth } as Parameters<typeof resolveProfile>[0]);
    assert.match(plainHttpWarning(p('http://gpu-box.internal:8000/v1')) ?? '', /plain http:\/\/ to gpu-box\.internal:8000, unencrypted/);
    assert.equal(plainHttpWarning(p('https://gpu-box.internal/v1')), undefined);
    assert.equal(plainHttpWarning(p('http://127.0.0.1:8000/v1')), undefined);
    assert.equal(plainHttpWarning(p('http://localhost:8000/v1')), undefined);
    const d = keyDecision(p('http://gpu-box.internal:8000/v1'), { fromRepository: false, namedByUser: true, keySource: 'k' });
    assert.ok(d.send && /unencrypted/.test(d.warning ?? ''));
    assert.deepEqual(keyDecision(p('http://127.0.0.1/v1', 'none'), { fromRepository: false, namedByUser: true, keySource: 'k' }), { send: false });
  });
});
