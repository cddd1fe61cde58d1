import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EventOf, PonderEvent } from '../../../src/core/events';
import { ToolSession } from '../../../src/core/tools/types';
import { makeRunner, ScriptedApproval, tempWorkspace } from './helpers';

function approvals(events: PonderEvent[]): Array<[string, string | undefined]> {
  return events.filter((e): e is EventOf<'tool.approval'> => e.type === 'tool.approval').map((e) => [e.state, e.by]);
}

describe('tools that change things', () => {
  let ws: { root: string; cleanup(): void };
  const file = () => fs.readFileSync(path.join(ws.root, 'src/math.ts'), 'utf8');
  beforeEach(() => {
    ws = tempWorkspace({ 'src/math.ts': 'export function add(a: number, b: number) {\n  return a - b;\n}\n' });
  });
  afterEach(() => ws.cleanup());

  it('propose_edit shows the diff, and an approved edit is applied', async () => {
    const approval = new ScriptedApproval(() => ({ allow: true }));
    const { call, events } = makeRunner({ root: ws.root, approval });
    const r = await call('propose_edit', { path: 'src/math.ts', edits: [{ old_text: 'return a - b;', new_text: 'return a + b;' }] });
    assert.equal(r.ok, true);
    assert.match(r.content, /Applied the edit to src\/math\.ts \(\+1 −1 lines\)/);
    assert.match(file(), /return a \+ b;/);
    const preview = approval.asked[0].preview;
    assert.equal(preview.type, 'edit');
    if (preview.type === 'edit') assert.match(preview.proposal.diff, /- {2}return a - b;\n\+ {2}return a \+ b;/);
    assert.deepEqual(approvals(events), [['asked', undefined], ['granted', 'user']]);
  });

  it('a rejected edit leaves the file unchanged and tells the model', async () => {
    const approval = new ScriptedApproval(() => ({ allow: false }));
    const { call, events } = makeRunner({ root: ws.root, approval });
    const r = await call('propose_edit', { path: 'src/math.ts', edits: [{ old_text: 'return a - b;', new_text: 'return a + b;' }] });
    assert.equal(r.ok, false);
    assert.match(r.content, /The user rejected the edit to src\/math\.ts.*the file is unchanged/);
    assert.match(file(), /return a - b;/);
    assert.deepEqual(approvals(events), [['asked', undefined], ['denied', 'user']]);
  });

  it('propose_edit explains old_text that is missing or not unique, and creates new files from content', async () => {
    const approval = new ScriptedApproval(() => ({ allow: true }));
    const { call } = makeRunner({ root: ws.root, approval });
    const missing = await call('propose_edit', { path: 'src/math.ts', edits: [{ old_text: 'nope', new_text: 'x' }] });
    assert.match(missing.content, /edits\[0\]\.old_text was not found in src\/math\.ts/);
    const twice = await call('propose_edit', { path: 'src/math.ts', edits: [{ old_text: 'b', new_text: 'c' }] });
    assert.match(twice.content, /occurs \d+ times/);
    const both = await call('propose_edit', { path: 'src/x.ts', content: 'a', edits: [{ old_text: 'a', new_text: 'b' }] });
    assert.match(both.content, /either 'edits'.*or 'content'/);
    const created = await call('propose_edit', { path: 'src/new/util.ts', content: 'export const x = 1;\n' });
    assert.match(created.content, /a new file/);
    assert.equal(fs.readFileSync(path.join(ws.root, 'src/new/util.ts'), 'utf8'), 'export const x = 1;\n');
    assert.equal(approval.asked.length, 1, 'invalid edits never reach the user');
  });

  it('propose_edit refuses paths outside the workspace and secret files before asking', async () => {
    const approval = new ScriptedApproval(() => ({ allow: true }));
    const { call } = makeRunner({ root: ws.root, approval });
    const out = await call('propose_edit', { path: '../evil.ts', content: 'x' });
    assert.match(out.content, /leaves the workspace/);
    const secret = await call('propose_edit', { path: '.env', content: 'TOKEN=x' });
    assert.match(secret.content, /secret file/);
    assert.equal(approval.asked.length, 0);
    assert.equal(fs.existsSync(path.join(ws.root, '..', 'evil.ts')), false);
  });

  it('never writes through a symlinked folder that leads outside the workspace', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-out-'));
    fs.symlinkSync(outside, path.join(ws.root, 'linked'));
    try {
      const approval = new ScriptedApproval(() => ({ allow: true }));
      const { call } = makeRunner({ root: ws.root, approval });
      const r = await call('propose_edit', { path: 'linked/new/evil.sh', content: 'echo pwned' });
      assert.match(r.content, /symbolic link .* outside the workspace/);
      assert.equal(approval.asked.length, 0);
      assert.deepEqual(fs.readdirSync(outside), []);
    } finally { fs.rmSync(outside, { recursive: true, force: true }); }
  });

  it('does not overwrite a file the user changed while the approval prompt was open', async () => {
    const approval = new ScriptedApproval(() => {
      fs.writeFileSync(path.join(ws.root, 'src/math.ts'), 'user work\n');
      return { allow: true };
    });
    const { call } = makeRunner({ root: ws.root, approval });
    const r = await call('propose_edit', { path: 'src/math.ts', edits: [{ old_text: 'a - b', new_text: 'a + b' }] });
    assert.equal(r.ok, false);
    assert.match(r.content, /changed after the edit was proposed/);
    assert.equal(file(), 'user work\n');
  });

  it('"allow for this session" skips the prompt for the same tool next time', async () => {
    const session = new ToolSession();
    const approval = new ScriptedApproval(() => ({ allow: true, forSession: true }));
    const { call, events } = makeRunner({ root: ws.root, approval, session });
    await call('propose_edit', { path: 'src/math.ts', edits: [{ old_text: 'a - b', new_text: 'a + b' }] });
    await call('propose_edit', { path: 'src/math.ts', edits: [{ old_text: 'a + b', new_text: 'b + a' }] });
    assert.equal(approval.asked.length, 1);
    assert.deepEqual(approvals(events), [['asked', undefined], ['granted', 'user'], ['granted', 'session']]);
    assert.match(file(), /return b \+ a;/);
  });

  it('run_command: denied without anyone to ask, denied by the user, and run when approved', async () => {
    const none = makeRunner({ root: ws.root });
    const r1 = await none.call('run_command', { command: 'touch ran.txt' });
    assert.match(r1.content, /The user denied running `touch ran\.txt`.*not run/);
    assert.deepEqual(approvals(none.events), [['denied', 'policy']]);

    const deny = new ScriptedApproval(() => ({ allow: false }));
    const denied = makeRunner({ root: ws.root, approval: deny });
    await denied.call('run_command', { command: 'touch ran.txt', cwd: 'src' });
    assert.equal(deny.asked[0].preview.type === 'command' && deny.asked[0].preview.cwd, 'src');
    assert.equal(fs.existsSync(path.join(ws.root, 'src/ran.txt')), false);

    const allow = new ScriptedApproval(() => ({ allow: true }));
    const allowed = makeRunner({ root: ws.root, approval: allow });
    const r3 = await allowed.call('run_command', { command: 'echo hello && exit 3', cwd: 'src' });
    assert.match(r3.content, /\$ echo hello && exit 3 {2}\(in src\)\nexit code 3\nhello/);
    const escape = await allowed.call('run_command', { command: 'ls', cwd: '..' });
    assert.match(escape.content, /working directory refused/);
  });

  it('autoApprove runs without asking in a trusted workspace', async () => {
    const approval = new ScriptedApproval(() => ({ allow: false }));
    const { call, events } = makeRunner({ root: ws.root, approval, autoApprove: ['run_command'] });
    const r = await call('run_command', { command: 'echo auto' });
    assert.match(r.content, /exit code 0\nauto/);
    assert.equal(approval.asked.length, 0);
    assert.deepEqual(approvals(events), [['granted', 'policy']]);
  });

  it('untrusted workspaces get no write or command tools (autoApprove ignored); read and none narrow the set', () => {
    const names = (o: Parameters<typeof makeRunner>[0]) => makeRunner(o).tools.map((t) => t.name);
    assert.deepEqual(names({ root: ws.root, trusted: false, autoApprove: ['run_command', 'propose_edit'] }), ['read_file', 'list_files', 'search_text', 'find_symbol', 'git_diff']);
    assert.deepEqual(names({ root: ws.root, enabled: 'read' }), ['read_file', 'list_files', 'search_text', 'find_symbol', 'git_diff']);
    assert.deepEqual(names({ root: ws.root, enabled: 'none' }), []);
    assert.deepEqual(names({ root: ws.root }), ['read_file', 'list_files', 'search_text', 'find_symbol', 'git_diff', 'propose_edit', 'run_command']);
  });

  it('an untrusted workspace cannot run a write tool even when the model names it', async () => {
    const approval = new ScriptedApproval(() => ({ allow: true }));
    const { call } = makeRunner({ root: ws.root, trusted: false, approval, autoApprove: ['run_command'] });
    const r = await call('run_command', { command: 'touch x' });
    assert.match(r.content, /no tool named "run_command"/);
    assert.equal(approval.asked.length, 0);
  });
});
