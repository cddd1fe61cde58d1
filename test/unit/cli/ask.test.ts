import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { PonderEventSchema, type PonderEvent } from '../../../src/core/events';
import { chunk, closedPort, startWireServer, type WireServer } from '../../fixtures/wire';
import { answerTurn, toolTurn } from '../run/helpers';

/**
 * `ponder ask` end to end: the CLI bundle is built the way esbuild.mjs builds dist/cli.js (into a
 * temp folder, so a parallel build cannot race the test), then spawned against the wire server.
 */
describe('ponder ask (built CLI, spawned)', function () {
  this.timeout(60_000);
  let wire: WireServer;
  let tmp: string;
  let cli: string;
  let root: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-ask-'));
    cli = path.join(tmp, 'cli.js');
    await esbuild.build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, logLevel: 'silent', banner: { js: '#!/usr/bin/env node' } });
    wire = await startWireServer({ apiKey: 'sk-right-key-000000' });
  });
  after(async () => { await wire.close(); fs.rmSync(tmp, { recursive: true, force: true }); });
  beforeEach(() => {
    wire.requests.length = 0;
    root = fs.mkdtempSync(path.join(tmp, 'ws-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/config.ts'), 'export function parseConfig(t: string) { return JSON.parse(t); }\n');
  });

  function ask(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [cli, 'ask', '--root', root, '--ledger', path.join(root, 'ledger.jsonl'), ...args], { env: { ...process.env, NO_COLOR: '1', PONDER_LEDGER: '', ...env }, timeout: 50_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  }
  const events = (stdout: string): PonderEvent[] => stdout.trim().split('\n').map((l) => PonderEventSchema.parse(JSON.parse(l)));

  function settingsWithPricedProfile(): string {
    const file = path.join(root, 'settings.json');
    fs.writeFileSync(file, `{
      // a team profile, as committed to .vscode/settings.json (comments allowed)
      "ponder.endpoints": [{ "id": "team", "provider": "vllm", "baseUrl": "${wire.url}", "model": "test-model", "maxRetries": 0,
        "pricing": { "inputPerMTok": 2, "outputPerMTok": 8 } }],
    }`);
    return file;
  }

  it('--jsonl prints one valid event per line: reasoning, a tool round, usage, cost, request.end; exit 0 and a ledger line', async () => {
    wire.enqueue(toolTurn('read_file', { path: 'src/config.ts' }), answerTurn('parseConfig parses it.'));
    const r = await ask(['--settings', settingsWithPricedProfile(), '--endpoint', 'team', '--jsonl', 'Where is the config parsed?']);
    assert.equal(r.code, 0, r.stderr);
    const ev = events(r.stdout);
    const t = ev.map((e) => e.type);
    assert.equal(t[0], 'request.start');
    for (const type of ['reasoning.delta', 'tool.call', 'tool.result', 'content.delta', 'usage', 'cost']) assert.ok(t.includes(type as PonderEvent['type']), type);
    assert.equal(t[t.length - 1], 'request.end');
    const start = ev[0].type === 'request.start' ? ev[0] : undefined;
    assert.equal(start?.endpoint, 'team');
    assert.equal(start?.route?.rule, 'override');
    const cost = ev.find((e) => e.type === 'cost');
    assert.ok(cost?.type === 'cost' && cost.source === 'price-table' && (cost.amount ?? 0) > 0);
    const ledger = fs.readFileSync(path.join(root, 'ledger.jsonl'), 'utf8').trim().split('\n');
    assert.equal(ledger.length, 1);
    assert.equal(JSON.parse(ledger[0]).endpoint, 'team');
  });

  it('text mode: the answer alone on stdout; the endpoint and why, reasoning and cost on stderr', async () => {
    wire.enqueue('vllm');
    const r = await ask(['--base-url', wire.url, '--model', 'test-model', 'What is 2+2?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'The answer is 4.\n');
    assert.match(r.stderr, /ponder: endpoint cli \(test-model\) · override: chosen with --base-url/);
    assert.match(r.stderr, /Thinking… The user asks for 2\+2\. That is 4\./);
    assert.match(r.stderr, /ponder: context \d+ items?, [\d,]+ of \d{1,3}(,\d{3})+ tokens/, 'counts with thousands separators');
    assert.match(r.stderr, /\nponder: cost unknown: price not set: add "pricing" to profile "cli"\n/);
    assert.equal(r.stderr.split('price not set').length, 2, 'said once');
  });

  it('refuses run_command when not on an interactive terminal, even with --tools all, and tells the model', async () => {
    wire.enqueue(toolTurn('run_command', { command: 'touch pwned' }), answerTurn('It was denied.'));
    const r = await ask(['--base-url', wire.url, '--model', 'test-model', '--tools', 'all', '--jsonl', 'Clean up']);
    assert.equal(r.code, 0, r.stderr);
    const approval = events(r.stdout).find((e) => e.type === 'tool.approval');
    assert.ok(approval?.type === 'tool.approval' && approval.state === 'denied' && approval.by === 'policy');
    assert.equal(fs.existsSync(path.join(root, 'pwned')), false);
    const toolMsg = (wire.chatRequests[1].body?.messages as Array<{ role: string; content: string }>).find((m) => m.role === 'tool');
    assert.match(toolMsg?.content ?? '', /denied/);
  });

  it('--tools read (the default) offers no edit or command tools; settings with tools none are obeyed', async () => {
    wire.enqueue('vllm');
    await ask(['--base-url', wire.url, '--model', 'test-model', 'hi']);
    const names = (wire.chatRequests[0].body?.tools as Array<{ function: { name: string } }>).map((t) => t.function.name);
    assert.ok(names.includes('read_file'));
    assert.ok(!names.includes('run_command') && !names.includes('propose_edit'));
    // A settings file that turns tools off is obeyed.
    const file = path.join(root, 'no-tools.json');
    fs.writeFileSync(file, '{ "ponder.tools.enabled": "none" }');
    wire.enqueue('vllm');
    await ask(['--settings', file, '--base-url', wire.url, '--model', 'test-model', 'hi']);
    assert.equal(wire.chatRequests[1].body?.tools, undefined);
  });

  it('a 401 exits 1 with an auth error, and the key never appears in the output', async () => {
    wire.enqueue('content-filter'); // requires the server's key; the server echoes the wrong one back
    const r = await ask(['--base-url', wire.url, '--model', 'test-model', '--api-key-env', 'WRONG_KEY', '--jsonl', 'x'], { WRONG_KEY: 'sk-wrong-key-123456789' });
    assert.equal(r.code, 1);
    const error = events(r.stdout).find((e) => e.type === 'error');
    assert.ok(error?.type === 'error' && error.kind === 'auth' && error.status === 401);
    assert.doesNotMatch(r.stdout + r.stderr, /sk-wrong-key-123456789/);
  });

  it('a 500 and a refused connection exit 1 with an error event saying why', async () => {
    wire.enqueue('http-500', 'http-500');
    const s500 = await ask(['--base-url', wire.url, '--model', 'test-model', '--jsonl', 'x']);
    assert.equal(s500.code, 1);
    assert.ok(events(s500.stdout).some((e) => e.type === 'error' && e.kind === 'server'));
    const refused = await ask(['--base-url', await closedPort(), '--model', 'm', 'x']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /ponder: error \(connection\): .*127\.0\.0\.1/);
  });

  it('without --endpoint, the settings\' routing rules pick the profile and the reason is printed', async () => {
    const file = path.join(root, 'routing.json');
    fs.writeFileSync(file, JSON.stringify({
      'ponder.endpoints': [
        { id: 'big', provider: 'vllm', baseUrl: wire.url, model: 'test-model', maxRetries: 0 },
        { id: 'cheap', provider: 'vllm', baseUrl: wire.url, model: 'test-model', maxRetries: 0 },
      ],
      'ponder.routing': [{ name: 'asks go cheap', when: { command: 'ask' }, endpoint: 'cheap' }],
    }));
    wire.enqueue('vllm');
    const r = await ask(['--settings', file, 'What is 2+2?']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /ponder: endpoint cheap \(test-model\) · asks go cheap: .*command "ask" matched/);
  });

  it('Ctrl-C (SIGINT) cancels: request.end says cancelled, the partial answer was printed, exit 1', async () => {
    wire.enqueue({ name: 'slow-cli', steps: [{ data: chunk({ content: 'Partial ' }) }, { delayMs: 5000 }, { data: chunk({ content: 'never' }) }, { data: chunk({}, 'stop') }] });
    const child = spawn(process.execPath, [cli, 'ask', '--root', root, '--ledger', path.join(root, 'ledger.jsonl'), '--base-url', wire.url, '--model', 'test-model', '--jsonl', 'x'], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && stdout.includes('"content.delta"')) { sent = true; child.kill('SIGINT'); } // one Ctrl-C; a second one kills outright
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1);
    const ev = events(stdout);
    const end = ev[ev.length - 1];
    assert.ok(end.type === 'request.end' && end.finishReason === 'cancelled' && end.ms < 4000);
    assert.ok(!stdout.includes('never'));
  });

  it('bad usage or config exits 2 and names the flag or setting', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--tools', 'bogus', 'x'], /--tools "bogus"/],
      [['--selection', '3:4', 'x'], /--selection needs --file/],
      [['--file', 'src/config.ts', '--selection', '9:2', 'x'], /--selection "9:2"/],
      [['--base-url', 'not a url', 'x'], /--base-url "not a url" is not a URL/],
      [['--api-key-env', 'NOPE_UNSET_VAR', '--base-url', 'http://127.0.0.1:1/v1', 'x'], /--api-key-env NOPE_UNSET_VAR/],
      [['--settings', settingsWithPricedProfile(), '--endpoint', 'nope', 'x'], /--endpoint "nope" is not a profile .*known: team/],
      [['--unknown-flag', 'x'], /unknown-flag/],
      [[], /a QUESTION is required/],
    ];
    for (const [args, re] of cases) {
      const r = await ask(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });
});
