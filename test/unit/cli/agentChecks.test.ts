import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runAgentCommand } from '../../../src/cli/agent';
import { agentFixture, calls, done, gitStatus, idOf, toolReply } from '../agent/helpers';

/**
 * `ponder agent` and the project's checks: proposed once per workspace on a terminal, the answer
 * remembered in the per-user state folder ($PONDER_STATE_DIR), never in the repository.
 */
describe('ponder agent: checks proposed once per workspace, remembered per user', function () {
  this.timeout(60_000);
  const f = agentFixture(() => ({
      'check.js': "console.log('check ran'); require('fs').appendFileSync('ran.log', 'x');\n",
      'package.json': '{"name":"demo","scripts":{"test":"node check.js"}}\n',
      '.gitignore': 'ran.log\n',
    }));

  /** One run; `answer` is typed when the checks question appears (undefined: no terminal). */
  async function ponder(args: string[], answer?: string) {
    const stdin = new PassThrough();
    let err = '';
    let asked = 0;
    const onErr = (t: string) => { err += t; if (/\[y\/N\] $/.test(t)) { asked++; stdin.write(`${answer ?? ''}\n`); } };
    const io = { out: () => undefined, err: onErr, cwd: f.repo.root, env: { ...process.env, PONDER_STATE_DIR: f.repo.state, PONDER_LEDGER: path.join(f.repo.state, 'ledger.jsonl'), NO_COLOR: '1' } };
    const code = await runAgentCommand(['--base-url', f.wire.url, '--model', 'test-model', ...args], io, { interactive: answer !== undefined, stdin, color: false });
    return { code, err, asked };
  }
  const stateFile = () => path.join(f.repo.state, 'agent-checks.json');
  const ranCount = () => (fs.existsSync(path.join(f.repo.root, 'ran.log')) ? fs.readFileSync(path.join(f.repo.root, 'ran.log'), 'utf8').length : 0);

  it('asked once on a terminal; "y" is remembered outside the repository and later runs use it without asking, with or without a terminal; --check wins', async () => {
    const first = calls(['run_check', {}]);
    f.wire.enqueue(first, done('Checked.'));
    const a = await ponder(['Check it'], 'y');
    assert.equal(a.code, 0, a.err);
    assert.equal(a.asked, 1);
    assert.match(a.err, /ponder agent: the project defines these checks: npm test\. Let the agent run them without asking, in this workspace from now on\? \[y\/N\] /);
    assert.match(a.err, new RegExp(`checks accepted: npm test; remembered for this workspace in ${f.repo.state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/agent-checks\\.json`));
    assert.match(toolReply(f.wire.chatRequests[1], idOf(first))!, /check "test" \(\$ npm test\): passed, exit code 0/);
    assert.equal(ranCount(), 1);
    // Kept per user, keyed by the workspace; nothing written into the repository.
    const stored = JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as { workspaces: Record<string, { checks: unknown[]; accepted: boolean }> };
    assert.deepEqual(stored.workspaces[fs.realpathSync(f.repo.root)].checks, [{ name: 'test', command: 'npm test' }]);
    assert.equal((fs.statSync(stateFile()).mode & 0o077), 0, 'readable by the user only');
    assert.equal(gitStatus(f.repo.root), '');

    // Again on a terminal: not asked.
    f.wire.enqueue(calls(['run_check', {}]), done('Checked again.'));
    const b = await ponder(['Check it again'], 'n');
    assert.equal(b.code, 0, b.err);
    assert.equal(b.asked, 0);
    assert.match(b.err, /ponder agent: checks you accepted for this workspace: npm test \(remembered in .*agent-checks\.json; --check overrides, --propose-checks asks again\)/);
    assert.equal(ranCount(), 2);

    // No terminal: the remembered answer still holds, and says where it came from.
    f.wire.enqueue(done('Nothing to do.'));
    const c = await ponder(['Nothing']);
    assert.equal(c.code, 0, c.err);
    assert.match(c.err, /checks you accepted for this workspace: npm test/);
    assert.match(JSON.stringify(f.wire.chatRequests.at(-1)!.body?.tools ?? []), /"run_check"/);

    // --check wins over the remembered answer.
    const own = calls(['run_check', {}]);
    f.wire.enqueue(own, done('Checked mine.'));
    const d = await ponder(['--check', 'node -e "console.log(42)"', 'Mine'], 'y');
    assert.equal(d.asked, 0);
    assert.match(d.err, /ponder agent: checks from --check: node -e "console\.log\(42\)"/);
    assert.match(toolReply(f.wire.chatRequests.at(-1)!, idOf(own))!, /passed, exit code 0\n42/);
    assert.equal(ranCount(), 2);
  });

  it('a "no" is remembered too; without a terminal nothing the repository names runs (its own .vscode/settings.json checks included), and it says so; --propose-checks asks again', async () => {
    fs.mkdirSync(path.join(f.repo.root, '.vscode'));
    fs.writeFileSync(path.join(f.repo.root, '.vscode/settings.json'), JSON.stringify({ 'ponder.agent.checks': [{ name: 'evil', command: 'node check.js' }] }));
    // No terminal, nothing remembered: proposed to no one, not run.
    f.wire.enqueue(done('Done.'));
    const a = await ponder(['Go']);
    assert.equal(a.code, 0, a.err);
    assert.match(a.err, /ponder agent: no checks: .*\.vscode\/settings\.json names node check\.js, but nothing the repository names runs unasked; accept them once on a terminal \(remembered for this workspace\) or pass --check/);
    assert.equal(fs.existsSync(stateFile()), false);
    assert.equal(ranCount(), 0);

    // A terminal, "n": remembered, nothing runs, not asked next time.
    f.wire.enqueue(done('Done.'));
    const b = await ponder(['Go'], 'n');
    assert.equal(b.asked, 1);
    assert.match(b.err, /no checks: declined; remembered for this workspace/);
    f.wire.enqueue(done('Done.'));
    const c = await ponder(['Go'], 'y');
    assert.equal(c.asked, 0);
    assert.match(c.err, /no checks: you declined node check\.js for this workspace/);
    assert.equal(ranCount(), 0);

    // --propose-checks: asked again; "y" now; the model is offered run_check.
    const check = calls(['run_check', {}]);
    f.wire.enqueue(check, done('Done.'));
    const d = await ponder(['--propose-checks', 'Go'], 'y');
    assert.equal(d.asked, 1);
    assert.equal(d.code, 0, d.err);
    assert.match(toolReply(f.wire.chatRequests.at(-1)!, idOf(check))!, /check "evil" \(\$ node check\.js\): passed/);
    assert.equal(ranCount(), 1);
  });
});
