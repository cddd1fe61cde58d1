import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { closedPort, startWireServer, type WireServer } from '../../fixtures/wire';
import { bodyMessages } from '../run/helpers';

/**
 * The built CLI, spawned, against the wire server: what the endpoint RECEIVES for
 * `--file --selection`, the usage errors for lines outside the file, the flags' help, and the
 * messages that name what the user gave.
 */
describe('ponder CLI: --selection reaches the model; usage errors; help (built CLI, spawned)', function () {
  this.timeout(60_000);
  let wire: WireServer;
  let tmp: string;
  let cli: string;
  let root: string;
  const lines = Array.from({ length: 40 }, (_, i) => `const line${i + 1} = ${i + 1};`);
  lines.splice(19, 5, 'export function connect(host: string, port: number) {', '  const url = `http://${host}:${port}`;', '  if (!host) throw new Error("no host");', '  return fetch(url);', '}');

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-cli-sel-'));
    cli = path.join(tmp, 'cli.js');
    await esbuild.build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, logLevel: 'silent', banner: { js: '#!/usr/bin/env node' } });
    wire = await startWireServer();
  });
  after(async () => { await wire.close(); fs.rmSync(tmp, { recursive: true, force: true }); });
  beforeEach(() => {
    wire.requests.length = 0;
    root = fs.mkdtempSync(path.join(tmp, 'ws-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/net.ts'), lines.join('\n') + '\n');
  });

  function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], { env: { ...process.env, NO_COLOR: '1', PONDER_LEDGER: path.join(root, 'ledger.jsonl') }, timeout: 50_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  }
  const ask = (...args: string[]) => run(['ask', '--root', root, '--ledger', path.join(root, 'ledger.jsonl'), ...args]);

  it('ask --file --selection 20:24: the received request names the file and lines and quotes them verbatim', async () => {
    wire.enqueue('vllm');
    const r = await ask('--base-url', wire.url, '--model', 'test-model', '--file', 'src/net.ts', '--selection', '20:24', 'Explain the selected code.');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(wire.chatRequests.length, 1);
    const user = String(bodyMessages(wire.chatRequests[0]).at(-1)?.content);
    assert.match(user, /The user selected lines 20-24 of src\/net\.ts \(40 lines in the file\)\./);
    assert.ok(user.includes('### Selection: src/net.ts, lines 20-24'), user);
    assert.ok(user.includes(lines.slice(19, 24).join('\n')), 'the five selected lines, verbatim');
    assert.match(user, /<workspace-data-[0-9a-f]{8}>\n### Selection:/);
  });

  it('ask --selection 500:600 on a 40-line file: exit 2, one line naming the file and its line count, nothing sent', async () => {
    const r = await ask('--base-url', wire.url, '--model', 'test-model', '--file', 'src/net.ts', '--selection', '500:600', 'Explain');
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'ponder ask: --selection 500:600: lines 500-600 are outside src/net.ts: src/net.ts has 40 lines\n');
    const backwards = await ask('--base-url', wire.url, '--file', 'src/net.ts', '--selection', '24:20', 'Explain');
    assert.equal(backwards.code, 2);
    assert.equal(backwards.stderr, 'ponder ask: --selection "24:20": START (24) is after END (20)\n');
    const junk = await ask('--base-url', wire.url, '--file', 'src/net.ts', '--selection', 'twenty', 'Explain');
    assert.equal(junk.code, 2);
    assert.match(junk.stderr, /^ponder ask: --selection "twenty" is not a line range: use START:END, 1-based lines, e.g. --selection 10:40\n$/);
    assert.equal(wire.chatRequests.length, 0);
  });

  it('context uses the same parser and check: exit 2 for lines outside the file', async () => {
    const r = await run(['context', '--root', root, '--query', 'x', '--file', 'src/net.ts', '--selection', '500:600', '--json']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'ponder context: --selection 500:600: lines 500-600 are outside src/net.ts: src/net.ts has 40 lines; see "ponder context --help"\n');
  });

  it('context --help and models --help describe their flags', async () => {
    const c = await run(['context', '--help']);
    assert.equal(c.code, 0);
    for (const flag of ['--root', '--query', '--file', '--selection', '--budget', '--json', '--text', '--exclude', '--time-limit', '--no-map', '--no-git']) assert.match(c.stdout, new RegExp(`\\n  ${flag}\\b.*\\S`), flag);
    const m = await run(['models', '--help']);
    assert.equal(m.code, 0);
    for (const flag of ['--endpoint', '--settings', '--root', '--base-url', '--provider', '--api-key-env', '--json']) assert.match(m.stdout, new RegExp(`\\n  ${flag}\\b.*\\S`), flag);
  });

  it('an unknown flag: one line naming it, exit 2, in every command', async () => {
    for (const cmd of ['ask', 'context', 'models', 'costs']) {
      const r = await run([cmd, '--frobnicate']);
      assert.equal(r.code, 2, cmd);
      assert.equal(r.stderr, `ponder ${cmd}: unknown flag --frobnicate; see "ponder ${cmd} --help"\n`);
    }
  });

  it('--base-url that refuses: the message names that URL, never profile "cli" or localhost:8000', async () => {
    const url = await closedPort();
    const r = await ask('--base-url', url, '--model', 'm', 'hi');
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`No server at ${url}`), r.stderr);
    assert.ok(r.stderr.includes(`Is a server running at ${url}?`), r.stderr);
    assert.doesNotMatch(r.stderr, /profile "cli"|localhost:8000|\(\(/);
    // It never connected: nothing billed, nothing in the ledger.
    assert.match(r.stderr, /nothing was billed/);
    assert.ok(!fs.existsSync(path.join(root, 'ledger.jsonl')) || fs.readFileSync(path.join(root, 'ledger.jsonl'), 'utf8').trim() === '');
  });
});
