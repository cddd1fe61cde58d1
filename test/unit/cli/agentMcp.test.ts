import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PonderEventSchema, type PonderEvent } from '../../../src/core/events';
import type { WireServer } from '../../fixtures/wire';
import { calls, done, gitRepo, idOf, toolReply } from '../agent/helpers';
import { offeredTools } from '../run/helpers';
import { builtCli } from './builtCli';

/**
 * `ponder agent --mcp` and `--effort`, through the built CLI spawned in a real git repository
 * against the wire fixture server, with a REAL MCP server from the npm registry
 * (@modelcontextprotocol/server-everything, over stdio). Assertions read what the endpoint received.
 */
const EVERYTHING = path.resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js');

describe('ponder agent --mcp / --effort (built CLI, spawned)', function () {
  this.timeout(90_000);
  const h = builtCli('ponder-agent-mcp-');
  let repo: ReturnType<typeof gitRepo>;
  let wire: WireServer;

  beforeEach(() => {
    wire = h.wire;
    wire.requests.length = 0;
    repo = gitRepo({ 'README.md': '# demo\n' });
  });
  afterEach(() => repo.cleanup());

  function ponder(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [h.cli, 'agent', ...args], {
        cwd: repo.root, timeout: 80_000,
        env: { ...process.env, NO_COLOR: '1', PONDER_LEDGER: path.join(repo.state, 'ledger.jsonl'), PONDER_STATE_DIR: repo.state, ...env },
      }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) }));
    });
  }
  const events = (stdout: string): PonderEvent[] => stdout.trim().split('\n').map((l) => PonderEventSchema.parse(JSON.parse(l)));
  function writeSettings(file: string, settings: Record<string, unknown>): string {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ 'ponder.endpoints': [{ id: 'team', provider: 'vllm', baseUrl: wire.url, model: 'test-model', maxRetries: 0 }], ...settings }));
    return file;
  }
  function writeMcp(): void {
    fs.mkdirSync(path.join(repo.root, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(repo.root, '.vscode', 'mcp.json'), JSON.stringify({ servers: { everything: { type: 'stdio', command: process.execPath, args: [EVERYTHING, 'stdio'] } } }));
  }
  /** Processes still running in the repository folder (the stdio server runs there). */
  function runningIn(dir: string): number[] {
    return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
      try { return fs.readlinkSync(`/proc/${p}/cwd`) === dir && Number(p) !== process.pid; } catch { return false; }
    }).map(Number);
  }

  it('offers the MCP server\'s tools beside the agent\'s own; an allow-listed call runs and its result reaches the model, another is refused without a terminal and the model is told why; the server stops with the task', async () => {
    writeMcp();
    const settings = writeSettings(path.join(repo.state, 'settings.json'), { 'ponder.mcp.autoApprove': ['everything/get-sum'] });
    const both = calls(['everything_get-sum', { a: 2, b: 3 }], ['everything_echo', { message: 'hi' }]);
    wire.enqueue(both, done('2 + 3 is 5; echo was not allowed.'));
    const r = await ponder(['--mcp', '--settings', settings, '--endpoint', 'team', '--jsonl', 'Add 2 and 3 with the tool, then echo hi.']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /starting MCP server "everything"/);
    assert.match(r.stderr, /MCP server "everything": \d+ tools: .*echo.*get-sum/);
    const offered = offeredTools(wire.chatRequests[0]);
    for (const name of ['everything_echo', 'everything_get-sum', 'edit_file', 'run_command']) assert.ok(offered.includes(name), `${name} not in ${offered.join(', ')}`);
    const second = wire.chatRequests[1];
    assert.equal(toolReply(second, idOf(both, 0)), 'The sum of 2 and 3 is 5.');
    assert.match(toolReply(second, idOf(both, 1)) ?? '', /did not allow echo of "everything".*not an interactive terminal/);
    const approvals = events(r.stdout).filter((e) => e.type === 'tool.approval');
    assert.deepEqual(approvals.map((e) => e.type === 'tool.approval' && `${e.state}/${e.by}`), ['granted/policy', 'denied/policy']);
    assert.match(approvals[0].type === 'tool.approval' ? approvals[0].detail ?? '' : '', /"everything_get-sum" is in ponder\.mcp\.autoApprove/, 'names the setting that allowed it');
    for (let i = 0; i < 20 && runningIn(repo.root).length; i++) await new Promise((res) => setTimeout(res, 100));
    assert.deepEqual(runningIn(repo.root), [], 'the MCP server still runs after the task ended');
  });

  it('the repository\'s own settings cannot allow-list an MCP tool: the call is refused on a non-interactive terminal', async () => {
    writeMcp();
    writeSettings(path.join(repo.root, '.vscode', 'settings.json'), { 'ponder.mcp.autoApprove': ['everything/*'] });
    const echo = calls(['everything_echo', { message: 'hi' }]);
    wire.enqueue(echo, done('I could not echo.'));
    const r = await ponder(['--mcp', '--endpoint', 'team', 'Echo hi.']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(toolReply(wire.chatRequests[1], idOf(echo)) ?? '', /did not allow echo of "everything".*not an interactive terminal/);
  });

  it('--effort high reaches a vLLM endpoint as reasoning_effort on every turn and shows in request.start', async () => {
    const settings = writeSettings(path.join(repo.state, 'settings.json'), {});
    const look = calls(['list_files', {}]);
    wire.enqueue(look, done());
    const r = await ponder(['--settings', settings, '--endpoint', 'team', '--effort', 'high', '--jsonl', 'Look around.']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(wire.chatRequests.map((q) => q.body?.reasoning_effort), ['high', 'high']);
    const start = events(r.stdout).find((e) => e.type === 'request.start');
    assert.ok(start?.type === 'request.start' && start.effort === 'high', JSON.stringify(start));
    const bad = await ponder(['--settings', settings, '--endpoint', 'team', '--effort', 'max', 'Look around.']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--effort "max": use low, medium or high/);
  });

  it('--effort high sends nothing to MAI-Thinking-1 on Foundry (it documents no effort control)', async () => {
    const settings = path.join(repo.state, 'mai.json');
    fs.mkdirSync(repo.state, { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'ponder.endpoints': [{ id: 'mai', provider: 'foundry', baseUrl: wire.origin, model: 'mai-prod', auth: 'apiKey', maxRetries: 0 }] }));
    const r = await ponder(['--settings', settings, '--endpoint', 'mai', '--effort', 'high', '--api-key-env', 'MAI_KEY', '--jsonl', 'What is 2+2?'], { MAI_KEY: 'foundry-key-0123456789' });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const req = wire.chatRequests.at(-1)!;
    assert.equal(req.path, '/mai/v1/chat/completions');
    assert.ok(!('reasoning_effort' in (req.body ?? {})) && !('reasoning' in (req.body ?? {})), JSON.stringify(req.body));
    const start = events(r.stdout).find((e) => e.type === 'request.start');
    assert.ok(start?.type === 'request.start' && start.effort === undefined);
  });
});
