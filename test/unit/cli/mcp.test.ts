import * as assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAllowListed, loadMcpConfig } from '../../../src/cli/mcpConfig';
import { PonderEventSchema, type PonderEvent } from '../../../src/core/events';
import type { WireServer } from '../../fixtures/wire';
import { answerTurn, bodyMessages, offeredTools, toolTurn } from '../run/helpers';
import { builtCli } from './builtCli';

/**
 * `ponder ask --mcp` against a REAL MCP server from the npm registry
 * (@modelcontextprotocol/server-everything, a devDependency; no install scripts, no network at
 * run time), over stdio and over Streamable HTTP, through the built CLI. Assertions read what
 * the model endpoint received (the wire fixture) and what the terminal showed.
 */
const EVERYTHING = path.resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}

describe('ponder ask --mcp (real MCP server, built CLI)', function () {
  this.timeout(90_000);
  const h = builtCli('ponder-mcp-');
  let wire: WireServer;
  let root: string;

  beforeEach(() => {
    wire = h.wire;
    wire.requests.length = 0;
    root = fs.mkdtempSync(path.join(h.tmp, 'ws-'));
    fs.mkdirSync(path.join(root, '.vscode'));
  });

  function writeConfig(servers: Record<string, unknown>, settings: Record<string, unknown> = {}): void {
    fs.writeFileSync(path.join(root, '.vscode', 'mcp.json'), JSON.stringify({ servers }, null, 2));
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), JSON.stringify({
      'ponder.endpoints': [{ id: 'team', provider: 'vllm', baseUrl: wire.url, model: 'test-model', maxRetries: 0 }], ...settings,
    }));
  }
  const stdio = { everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] } };

  function ask(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [h.cli, 'ask', '--root', root, '--ledger', path.join(root, 'ledger.jsonl'), ...args], { env: { ...process.env, NO_COLOR: '1', PONDER_LEDGER: '' }, timeout: 80_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  }
  const events = (stdout: string): PonderEvent[] => stdout.trim().split('\n').map((l) => PonderEventSchema.parse(JSON.parse(l)));
  const toolMessages = (i: number) => bodyMessages(wire.chatRequests[i]).filter((m) => m.role === 'tool').map((m) => String(m.content));

  it('stdio: lists the server\'s tools, offers them to the model, and runs an allow-listed call; the result reaches the model', async () => {
    writeConfig(stdio, { 'ponder.mcp.autoApprove': ['everything/get-sum'] });
    wire.enqueue(toolTurn('everything_get-sum', { a: 2, b: 3 }), answerTurn('2 + 3 is 5.'));
    const r = await ask(['--mcp', '--endpoint', 'team', '--jsonl', 'What is 2+3? Use the tool.']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /starting MCP server "everything"/);
    assert.match(r.stderr, /MCP server "everything": \d+ tools: .*echo.*get-sum/);
    const offered = offeredTools(wire.chatRequests[0]);
    assert.ok(offered.includes('everything_echo') && offered.includes('everything_get-sum'), offered.join(', '));
    const sum = (wire.chatRequests[0].body?.tools as { function: { name: string; parameters: { properties: Record<string, unknown> } } }[]).find((t) => t.function.name === 'everything_get-sum');
    assert.deepEqual(Object.keys(sum?.function.parameters.properties ?? {}).sort(), ['a', 'b'], 'the server\'s own schema is sent');
    assert.deepEqual(toolMessages(1), ['The sum of 2 and 3 is 5.']);
    const ev = events(r.stdout);
    const approval = ev.find((e) => e.type === 'tool.approval');
    assert.ok(approval && approval.type === 'tool.approval' && approval.state === 'granted' && approval.by === 'policy');
    // It names the setting that allowed it: the MCP allow-list, not Ponder's own tools' setting.
    assert.match(approval.detail ?? '', /"everything_get-sum" is in ponder\.mcp\.autoApprove/);
    const result = ev.find((e) => e.type === 'tool.result');
    assert.ok(result && result.type === 'tool.result' && result.ok && /sum of 2 and 3 is 5/.test(result.summary));
  });

  it('without a terminal and not allow-listed, a call is denied and the model is told why', async () => {
    writeConfig(stdio);
    wire.enqueue(toolTurn('everything_echo', { message: 'hi' }), answerTurn('I could not call it.'));
    const r = await ask(['--mcp', '--endpoint', 'team', 'Echo hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(toolMessages(1)[0], /did not allow echo of "everything".*not an interactive terminal/);
    assert.match(r.stderr, /denied by policy/);
  });

  it('Streamable HTTP: connects to a running server by URL and calls its tool', async () => {
    const port = await freePort();
    const server: ChildProcess = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('server-everything did not start')), 20_000);
        server.stderr?.on('data', (d: Buffer) => { if (/listening on port/i.test(String(d))) { clearTimeout(t); resolve(); } });
      });
      writeConfig({ remote: { type: 'http', url: `http://127.0.0.1:${port}/mcp` } }, { 'ponder.mcp.autoApprove': ['remote/*'] });
      wire.enqueue(toolTurn('remote_echo', { message: 'over http' }), answerTurn('Done.'));
      const r = await ask(['--mcp', '--endpoint', 'team', 'Echo over http']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /MCP server "remote": \d+ tools/);
      assert.deepEqual(toolMessages(1), ['Echo: over http']);
    } finally {
      server.kill();
    }
  });

  it('a server that cannot start is reported by name and the request still runs without it', async () => {
    writeConfig({ broken: { command: path.join(root, 'no-such-binary') } });
    wire.enqueue(answerTurn('Answered without tools.'));
    const r = await ask(['--mcp', '--endpoint', 'team', 'Hello']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /MCP server "broken" \(.*no-such-binary\) could not be used/);
    assert.ok(!offeredTools(wire.chatRequests[0]).some((n) => n.startsWith('broken_')));
  });
});

describe('.vscode/mcp.json as VS Code reads it', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-mcpcfg-')); fs.mkdirSync(path.join(root, '.vscode')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (text: string) => fs.writeFileSync(path.join(root, '.vscode', 'mcp.json'), text);

  it('reads stdio and HTTP servers, replaces ${workspaceFolder} and ${env:NAME}, skips servers needing ${input:...} and says why', () => {
    write(`{
      // comments allowed, as in VS Code
      "inputs": [{ "type": "promptString", "id": "token", "password": true }],
      "servers": {
        "fs": { "command": "node", "args": ["\${workspaceFolder}/server.js"], "env": { "LEVEL": "\${env:PONDER_TEST_LEVEL}" } },
        "web": { "type": "http", "url": "http://127.0.0.1:9/mcp", "headers": { "X-Team": "a" } },
        "secret": { "type": "http", "url": "https://example.invalid/mcp", "headers": { "Authorization": "Bearer \${input:token}" } },
        "bad": { "type": "stdio" },
      },
    }`);
    const c = loadMcpConfig(root, { PONDER_TEST_LEVEL: 'debug' });
    assert.deepEqual(c.servers.map((s) => s.name), ['fs', 'web']);
    const fsServer = c.servers[0];
    assert.ok(fsServer.type === 'stdio' && fsServer.args[0] === `${root}/server.js` && fsServer.env.LEVEL === 'debug' && fsServer.cwd === root);
    assert.ok(c.warnings.some((w) => /"secret" needs \$\{input:token\}/.test(w)));
    assert.ok(c.warnings.some((w) => /"bad" .* is invalid/.test(w)));
  });

  it('no file: no servers; broken JSON: an error naming the file and line', () => {
    assert.deepEqual(loadMcpConfig(root, {}).servers, []);
    write('{\n "servers": {\n  "x": [}\n}');
    assert.throws(() => loadMcpConfig(root, {}), /mcp\.json: not valid JSON .* at line 3/);
  });

  it('allow-list entries name server/tool or server/*', () => {
    assert.ok(isAllowListed(['fs/read'], 'fs', 'read'));
    assert.ok(isAllowListed(['fs/*'], 'fs', 'write'));
    assert.ok(!isAllowListed(['fs/read'], 'fs', 'write'));
    assert.ok(!isAllowListed(['*'], 'fs', 'write'));
  });
});
