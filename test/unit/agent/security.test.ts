import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { commandEnv, isSecretEnvName } from '../../../src/core/editor/commandEnv';
import { ToolSession } from '../../../src/core/tools/types';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { makeRunner, ScriptedApproval, tempWorkspace } from '../tools/helpers';
import { ofType } from '../run/helpers';
import { agent, Approvals, calls, done, gitRepo, idOf, toolReply } from './helpers';

/** Prints, for each variable, whether the command sees it and how long it is (never the value: redaction must not be what hides it). */
const NAMES = ['PONDER_TEST_ENDPOINT_VAR', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'OPENAI_API_KEY', 'MY_SETTING', 'TOKENIZERS_PARALLELISM', 'PATH'];
/** By number, not name: a line naming a credential would be redacted on its way to the model, hiding what the test looks for. */
const PROBE = `node -e "${NAMES.map((k) => `'${k}'`).join(',').replace(/^/, '[').replace(/$/, ']')}.forEach((k, i) => console.log('v' + i + ' ' + (process.env[k] === undefined ? 'absent' : 'present ' + process.env[k].length)))"`;
const line = (name: string) => `v${NAMES.indexOf(name)}`;
const PLANTED: Record<string, string> = {
  PONDER_TEST_ENDPOINT_VAR: 'sk-endpoint-key-0123456789', GITHUB_TOKEN: 'ghp_0123456789abcdef', AWS_SECRET_ACCESS_KEY: 'abc/def+ghi',
  DB_PASSWORD: 'hunter2', OPENAI_API_KEY: 'sk-openai-0123456789', MY_SETTING: 'kept', TOKENIZERS_PARALLELISM: 'false',
};

describe('agent security: commands get no credentials, "always" is per exact command, one working-directory rule', function () {
  this.timeout(60_000);
  let wire: WireServer;
  let repo: ReturnType<typeof gitRepo>;
  const saved: Record<string, string | undefined> = {};
  before(async () => { wire = await startWireServer(); });
  after(async () => { await wire.close(); });
  beforeEach(() => {
    wire.requests.length = 0;
    repo = gitRepo({ 'check.js': "console.log('ok');\n" });
    for (const [k, v] of Object.entries(PLANTED)) { saved[k] = process.env[k]; process.env[k] = v; }
  });
  afterEach(() => {
    for (const k of Object.keys(PLANTED)) { if (saved[k] === undefined) delete process.env[k]; else process.env[k] = saved[k]; }
    repo.cleanup();
  });

  it('a command or check the agent runs cannot read the endpoint\'s key variable or any credential-named variable; PATH and ordinary settings stay', async () => {
    const cmd = calls(['run_command', { command: PROBE }]);
    const check = calls(['run_check', {}]);
    wire.enqueue(cmd, check, done('Looked.'));
    const host = new NodeWorkspace([{ name: 'repo', path: repo.root }], undefined, { hideEnv: ['PONDER_TEST_ENDPOINT_VAR'] });
    const r = await agent(wire, repo, { host, approve: 'none', checks: [{ name: 'env', command: PROBE }] });
    assert.equal(r.reason, 'done', r.message);
    const seen = [toolReply(wire.chatRequests[1], idOf(cmd))!, toolReply(wire.chatRequests[2], idOf(check))!];
    for (const reply of seen) {
      for (const k of ['PONDER_TEST_ENDPOINT_VAR', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'OPENAI_API_KEY']) assert.match(reply, new RegExp(`^${line(k)} absent$`, 'm'), `${k} in ${reply}`);
      assert.match(reply, new RegExp(`^${line('MY_SETTING')} present 4$`, 'm'));
      assert.match(reply, new RegExp(`^${line('TOKENIZERS_PARALLELISM')} present 5$`, 'm'));
      assert.match(reply, new RegExp(`^${line('PATH')} present \\d+$`, 'm'));
    }
    assert.doesNotMatch(JSON.stringify(wire.chatRequests.map((q) => q.body)), /sk-endpoint-key|ghp_0123|hunter2/);
  });

  it('the names that count as credentials', () => {
    for (const n of ['OPENAI_API_KEY', 'GITHUB_TOKEN', 'NPM_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'PGPASSWORD', 'MY_APIKEY', 'GPG_KEY', 'AZURE_CLIENT_SECRET', 'GOOGLE_APPLICATION_CREDENTIALS']) assert.equal(isSecretEnvName(n), true, n);
    for (const n of ['PATH', 'HOME', 'LANG', 'SSH_AUTH_SOCK', 'TOKENIZERS_PARALLELISM', 'KEYTIMEOUT_MS', 'HTTPS_PROXY', 'NODE_OPTIONS', 'CI']) assert.equal(isSecretEnvName(n), false, n);
    assert.deepEqual(commandEnv({ PATH: '/bin', TEAM_VAR: 'x', team_var2: 'y' }, ['TEAM_VAR', 'TEAM_VAR2']), { PATH: '/bin' });
  });

  it('"always this session" for a command allows that exact command again, not the next different one (agent)', async () => {
    const a1 = calls(['run_command', { command: 'node check.js' }]);
    const a2 = calls(['run_command', { command: 'node check.js', timeout_seconds: 60 }]);
    const b = calls(['run_command', { command: 'node -e "require(\'fs\').writeFileSync(\'b.txt\', \'\')"' }]);
    wire.enqueue(a1, a2, b, done('Done.'));
    const approvals = new Approvals((req) => (req.preview.type === 'command' && req.preview.command === 'node check.js' ? { allow: true, forSession: true } : { allow: false }));
    const r = await agent(wire, repo, { approval: approvals, approve: 'commands' });
    assert.equal(r.reason, 'done', r.message);
    // Asked for the first command and for the different one; the repeat ran on the session's word.
    assert.deepEqual(approvals.asked.map((q) => q.preview.type === 'command' && q.preview.command), ['node check.js', 'node -e "require(\'fs\').writeFileSync(\'b.txt\', \'\')"']);
    assert.match(toolReply(wire.chatRequests[2], idOf(a2))!, /exit code 0\nok/);
    assert.match(toolReply(wire.chatRequests[3], idOf(b))!, /was NOT run \(the user denied it\)/);
    assert.equal(fs.existsSync(path.join(repo.root, 'b.txt')), false);
    const granted = ofType(r.events, 'tool.approval').filter((e) => e.id === idOf(a2) && e.state === 'granted');
    assert.equal(granted[0].by, 'session');
  });

  it('chat\'s run_command too: "always" is per exact command and folder; for an edit tool it is per tool; a working directory outside is refused by the same rule in both', async () => {
    const ws = tempWorkspace({ 'a.txt': 'one\n', 'src/x.txt': 'x\n' });
    try {
      const session = new ToolSession();
      const approval = new ScriptedApproval(() => ({ allow: true, forSession: true }));
      const { call } = makeRunner({ root: ws.root, approval, session });
      await call('run_command', { command: 'echo one' });
      await call('run_command', { command: 'echo one', timeout_seconds: 30 });
      await call('run_command', { command: 'echo one', cwd: 'src' });
      await call('run_command', { command: 'echo two' });
      assert.deepEqual(approval.asked.map((q) => q.preview.type === 'command' && `${q.preview.cwd}: ${q.preview.command}`), ['.: echo one', 'src: echo one', '.: echo two']);
      await call('propose_edit', { path: 'a.txt', edits: [{ old_text: 'one', new_text: 'uno' }] });
      await call('propose_edit', { path: 'src/x.txt', edits: [{ old_text: 'x', new_text: 'y' }] });
      assert.equal(approval.asked.filter((q) => q.tool === 'propose_edit').length, 1);
      const escape = await call('run_command', { command: 'ls', cwd: '..' });
      assert.match(escape.content, /working directory refused: /);
    } finally {
      ws.cleanup();
    }
    const out = calls(['run_command', { command: 'ls', cwd: '..' }]);
    wire.enqueue(out, done('Stopped.'));
    const r = await agent(wire, repo, { approve: 'none' });
    assert.match(toolReply(wire.chatRequests[1], idOf(out))!, /working directory refused: /);
    assert.equal(r.reason, 'done');
  });
});
