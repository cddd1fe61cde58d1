import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { PonderEventSchema, type PonderEvent } from '../../../src/core/events';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { calls, done, gitRepo, gitStatus, idOf, toolReply } from '../agent/helpers';

const CHECK_JS = `const { total } = require('./src/math.js'); const { twice } = require('./src/twice.js');
if (total(2, 3) !== 5) { console.error('FAIL total(2, 3) should be 5, got ' + total(2, 3)); process.exit(1); }
if (twice(4) !== 8) { console.error('FAIL twice(4) should be 8, got ' + twice(4)); process.exit(1); }
console.log('ok: 2 checks pass');
`;

/**
 * `ponder agent` end to end: the CLI bundled as esbuild.mjs bundles it (into a temp folder), spawned
 * in a real git repository against the wire fixture server, whose scripted model replays fixed
 * tool calls; then --review and --undo on the same checkpoint.
 */
describe('ponder agent (built CLI, spawned)', function () {
  this.timeout(90_000);
  let wire: WireServer;
  let tmp: string;
  let cli: string;
  let repo: ReturnType<typeof gitRepo>;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-agent-cli-'));
    cli = path.join(tmp, 'cli.js');
    await esbuild.build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, logLevel: 'silent', banner: { js: '#!/usr/bin/env node' } });
    wire = await startWireServer();
  });
  after(async () => { await wire.close(); fs.rmSync(tmp, { recursive: true, force: true }); });
  beforeEach(() => {
    wire.requests.length = 0;
    repo = gitRepo({ 'check.js': CHECK_JS, 'src/math.js': 'exports.total = (a, b) => a - b;\n', 'src/legacy.js': 'module.exports = {};\n', 'package.json': '{"name":"demo","scripts":{"test":"node check.js"}}\n' });
  });
  afterEach(() => repo.cleanup());

  function ponder(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [cli, ...args], {
        cwd: repo.root, timeout: 80_000,
        env: { ...process.env, NO_COLOR: '1', PONDER_LEDGER: path.join(repo.state, 'ledger.jsonl'), PONDER_STATE_DIR: repo.state },
      }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) }));
    });
  }
  const model = () => ['--base-url', wire.url, '--model', 'test-model'];

  it('--jsonl: a task that fails its check, fixes it and passes exits 0; the events are ask\'s model; --review and --undo restore the repository', async () => {
    const plan = calls(['update_plan', { items: [{ text: 'Fix total', status: 'in_progress' }, { text: 'Add twice', status: 'pending' }] }]);
    const change = calls(
      ['edit_file', { path: 'src/math.js', edits: [{ old_text: 'a - b', new_text: 'a + b' }] }],
      ['write_file', { path: 'src/twice.js', content: 'exports.twice = (n) => n + 2;\n' }],
      ['delete_file', { path: 'src/legacy.js' }],
    );
    const check = calls(['run_check', {}]);
    const fix = calls(['edit_file', { path: 'src/twice.js', edits: [{ old_text: 'n + 2', new_text: 'n * 2' }] }]);
    wire.enqueue(plan, change, check, fix, done('Fixed total and added twice; the check passes.'));
    const r = await ponder(['agent', ...model(), '--check', 'node check.js', '--max-cost', '1', '--jsonl', 'Fix total and add twice']);
    assert.equal(r.code, 0, r.stderr);
    const ev: PonderEvent[] = r.stdout.trim().split('\n').map((l) => PonderEventSchema.parse(JSON.parse(l)));
    assert.equal(ev[0].type, 'request.start');
    assert.equal(ev.at(-1)!.type, 'request.end');
    const end = ev.find((e) => e.type === 'agent.task.end');
    assert.ok(end && end.type === 'agent.task.end');
    // The model stopped after its fix; Ponder ran the check itself and it passed.
    assert.equal(end.reason, 'checks-passed');
    assert.deepEqual(ev.filter((e) => e.type === 'agent.check' && e.state !== 'running').map((e) => e.type === 'agent.check' && e.state), ['failed', 'passed']);
    assert.equal(fs.readFileSync(path.join(repo.root, 'src/twice.js'), 'utf8'), 'exports.twice = (n) => n * 2;\n');
    assert.equal(gitStatus(repo.root), ' D src/legacy.js\n M src/math.js\n?? src/twice.js\n');
    // What the endpoint received: the failing check's output, in the tool message of the run_check call.
    assert.match(toolReply(wire.chatRequests[3], idOf(check))!, /FAILED, exit code 1\nFAIL twice\(4\) should be 8, got 6/);
    const ledger = fs.readFileSync(path.join(repo.state, 'ledger.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { command: string; id: string });
    assert.deepEqual(ledger.map((l) => [l.command, l.id]), [['agent', end.taskId]]);

    const rev = await ponder(['agent', '--review', 'last']);
    assert.equal(rev.code, 0, rev.stderr);
    assert.match(rev.stdout, /3 files changed/);
    assert.match(rev.stdout, /edited src\/math\.js\n[^]*-exports\.total = \(a, b\) => a - b;\n\+exports\.total = \(a, b\) => a \+ b;/);
    assert.match(rev.stdout, /deleted src\/legacy\.js/);
    const un = await ponder(['agent', '--undo', end.taskId]);
    assert.equal(un.code, 0, un.stderr);
    assert.match(un.stdout, /restored src\/math\.js/);
    assert.match(un.stdout, /removed src\/twice\.js/);
    assert.equal(gitStatus(repo.root), '');
  });

  it('on a terminal-less run: a limit exits 1 with the reason; a command that needs approval is denied; the human output names plan, files, cost and the undo', async () => {
    const cmd = calls(['run_command', { command: 'touch ran.txt' }]);
    const edit = calls(['write_file', { path: 'notes.md', content: 'hi\n' }]);
    // Two turns: the limit stops the task before a third is asked for (and the queue ends empty).
    wire.enqueue(cmd, edit);
    const r = await ponder(['agent', ...model(), '--max-rounds', '2', 'Do things']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(fs.existsSync(path.join(repo.root, 'ran.txt')), false);
    assert.match(toolReply(wire.chatRequests[1], idOf(cmd))!, /was NOT run \(not allowed: no one can approve it here/);
    assert.match(r.stderr, /no checks: the project defines npm test, but nothing the repository names runs unasked; accept them once on a terminal \(remembered for this workspace\) or pass --check/);
    assert.match(r.stderr, /ponder: created notes\.md \(\+1 −0\)/);
    assert.match(r.stderr, /ponder: task limit: Stopped: the limit of 2 model turns was reached/);
    assert.match(r.stderr, /1 file changed \(created notes\.md\) · 2 turns · 2200 tokens · \$0\.0000|1 file changed \(created notes\.md\) · 2 turns · 2200 tokens/);
    assert.match(r.stderr, /undo: ponder agent --undo [0-9a-f-]{36}/);
    assert.equal(wire.chatRequests.length, 2);
  });

  it('the API key named by --api-key-env is not in the environment of the checks and commands the agent runs', async () => {
    const probe = calls(['run_check', {}]);
    wire.enqueue(probe, done('Looked.'));
    const env = { PONDER_AGENT_TEST_KEY: 'sk-agent-test-key-123456789' };
    const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [cli, 'agent', ...model(), '--api-key-env', 'PONDER_AGENT_TEST_KEY', '--check', 'node -e "console.log(process.env.PONDER_AGENT_TEST_KEY || \'no key here\')"', 'Look'], {
        cwd: repo.root, timeout: 80_000, env: { ...process.env, ...env, NO_COLOR: '1', PONDER_LEDGER: path.join(repo.state, 'ledger.jsonl'), PONDER_STATE_DIR: repo.state },
      }, (err, _out, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stderr: String(stderr) }));
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(wire.chatRequests[0].headers.authorization, 'Bearer sk-agent-test-key-123456789');
    const reply = toolReply(wire.chatRequests[1], idOf(probe))!;
    assert.match(reply, /passed, exit code 0\nno key here/);
    assert.doesNotMatch(JSON.stringify(wire.chatRequests.map((q) => q.body)), /sk-agent-test-key/);
  });

  it('ponder.budget.daily from the settings file stops the task before its first turn when today is spent, naming the budget and the amounts (exit 1)', async () => {
    fs.mkdirSync(repo.state, { recursive: true });
    fs.writeFileSync(path.join(repo.state, 'ledger.jsonl'), JSON.stringify({ v: 1, id: 'earlier', time: new Date().toISOString(), endpoint: 'x', model: 'm', tokens: { prompt: 1, completion: 1 }, cost: 1.25, currency: 'USD', source: 'price-table', status: 'done' }) + '\n');
    const settings = path.join(repo.state, 'settings.json');
    fs.writeFileSync(settings, JSON.stringify({ 'ponder.budget.daily': 1 }));
    const r = await ponder(['agent', ...model(), '--settings', settings, 'Do things']);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(wire.chatRequests.length, 0);
    assert.match(r.stderr, /ponder: task limit: Stopped before the next model turn: Today's spend is \$1\.25 of the \$1(\.00)? daily budget \(ponder\.budget\.daily\)/);
    // Unpriced (--base-url): the default $2 cap is said not to protect the task.
    assert.match(r.stderr, /The cost cap \(\$2(\.00)?, ponder\.agent\.maxCost\) does not protect this task/);
  });

  it('bad usage exits 2 naming the flag; --help prints the usage', async () => {
    const bad = await ponder(['agent', ...model(), '--approve', 'maybe', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--approve "maybe": use none, edits, commands or all/);
    const cost = await ponder(['agent', ...model(), '--max-cost', 'lots', 'x']);
    assert.equal(cost.code, 2);
    assert.match(cost.stderr, /--max-cost "lots"/);
    const none = await ponder(['agent', ...model()]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /a TASK is required/);
    const undoNothing = await ponder(['agent', '--undo', 'last']);
    assert.equal(undoNothing.code, 2);
    assert.match(undoNothing.stderr, /no agent task has a checkpoint/);
    const help = await ponder(['agent', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: ponder agent/);
    assert.equal(wire.chatRequests.length, 0);
  });
});
