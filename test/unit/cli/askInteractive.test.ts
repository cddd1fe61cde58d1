import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runAsk } from '../../../src/cli/ask';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { answerTurn, toolTurn } from '../run/helpers';

/** `ponder ask` at an interactive terminal: each edit or command, and a request over budget, is confirmed (or not). */
describe('ponder ask: confirming on an interactive terminal', () => {
  let wire: WireServer;
  let root: string;
  before(async () => { wire = await startWireServer(); });
  after(async () => { await wire.close(); });
  beforeEach(() => {
    wire.requests.length = 0;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-ask-tty-'));
    fs.writeFileSync(path.join(root, 'a.txt'), 'hello\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function ask(answers: string, args: string[]) {
    const stdin = new PassThrough();
    let out = '';
    let err = '';
    const queue = answers.split('\n');
    // A person typing the next answer when the question appears.
    const onErr = (t: string) => { err += t; if (/(\[a\]lways this session|\[c\]ancel): $/.test(t)) stdin.write((queue.shift() ?? '') + '\n'); };
    const io = { out: (t: string) => { out += t; }, err: onErr, env: { ...process.env, PONDER_LEDGER: path.join(root, 'ledger.jsonl') }, cwd: root };
    const code = await runAsk(['--base-url', wire.url, '--model', 'test-model', '--tools', 'all', ...args], io, { interactive: true, stdin, color: false });
    return { code, out, err };
  }

  it('shows the exact command and directory, runs it on "y"', async () => {
    wire.enqueue(toolTurn('run_command', { command: 'echo ran > ran.txt' }), answerTurn('Ran it.'));
    const r = await ask('y', ['Run it']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /The model wants to run, in \.:\n {2}\$ "echo ran > ran\.txt"\n/);
    assert.equal(fs.readFileSync(path.join(root, 'ran.txt'), 'utf8'), 'ran\n', r.err);
    assert.match(r.err, /allowed by user/);
    assert.equal(r.out, 'Ran it.\n');
  });

  it('shows the diff of an edit and leaves the file alone on "n"', async () => {
    wire.enqueue(toolTurn('propose_edit', { path: 'a.txt', edits: [{ old_text: 'hello', new_text: 'goodbye' }] }), answerTurn('Left it.'));
    const r = await ask('n', ['Change it']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /The model proposes an edit to a\.txt \(\+1 −1\):[\s\S]*-hello\n\+goodbye/);
    assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'hello\n');
    assert.match(r.err, /denied by user/);
  });

  it('over budget: asks, and "c" cancels without sending; "s" sends anyway', async () => {
    // A --base-url profile has no price, so its estimate is unknown: a daily budget already used up still stops it.
    const settings = path.join(root, 'settings.json');
    fs.writeFileSync(settings, JSON.stringify({ 'ponder.budget.daily': 0 }));
    const priced = ['--settings', settings];
    const cancelled = await ask('c', [...priced, 'hi']);
    assert.equal(cancelled.code, 1);
    assert.match(cancelled.err, /daily budget[\s\S]*\[s\]end anyway \/ \[c\]ancel: /);
    assert.equal(wire.chatRequests.length, 0);
    wire.enqueue('vllm');
    const sent = await ask('s', [...priced, 'hi']);
    assert.equal(sent.code, 0, sent.err);
    assert.equal(sent.out, 'The answer is 4.\n');
  });
});

describe('ponder ask --mcp: each MCP call confirmed on the terminal (real MCP server)', function () {
  this.timeout(60_000);
  let wire: WireServer;
  let root: string;
  before(async () => { wire = await startWireServer(); });
  after(async () => { await wire.close(); });
  beforeEach(() => {
    wire.requests.length = 0;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-ask-mcp-tty-'));
    fs.mkdirSync(path.join(root, '.vscode'));
    const server = path.resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    fs.writeFileSync(path.join(root, '.vscode', 'mcp.json'), JSON.stringify({ servers: { everything: { command: process.execPath, args: [server, 'stdio'] } } }));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function ask(answer: string) {
    const stdin = new PassThrough();
    let err = '';
    const onErr = (t: string) => { err += t; if (/\[a\]lways this session: $/.test(t)) stdin.write(answer + '\n'); };
    const io = { out: () => {}, err: onErr, env: { ...process.env, PONDER_LEDGER: path.join(root, 'ledger.jsonl') }, cwd: root };
    // --tools read: MCP tools still come with --mcp (the user asked for them), and each call asks.
    const code = await runAsk(['--base-url', wire.url, '--model', 'test-model', '--tools', 'read', '--mcp', 'Add 2 and 3'], io, { interactive: true, stdin, color: false });
    const tool = (wire.chatRequests[1]?.body?.messages as Array<{ role: string; content: string }> | undefined)?.find((m) => m.role === 'tool');
    return { code, err, tool: tool?.content ?? '' };
  }

  it('shows the server, tool and arguments; "y" runs it and the result reaches the model', async () => {
    wire.enqueue(toolTurn('everything_get-sum', { a: 2, b: 3 }), answerTurn('5.'));
    const r = await ask('y');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /The model wants to call get-sum of the MCP server "everything" with:\n {2}\{"a":2,"b":3\}/);
    assert.equal(r.tool, 'The sum of 2 and 3 is 5.');
  });

  it('"n" does not call the server and tells the model', async () => {
    wire.enqueue(toolTurn('everything_get-sum', { a: 2, b: 3 }), answerTurn('Not allowed.'));
    const r = await ask('n');
    assert.equal(r.code, 0, r.err);
    assert.match(r.tool, /The user did not allow get-sum of "everything"\. Do not call it again/);
    assert.match(r.err, /denied by user/);
  });
});
