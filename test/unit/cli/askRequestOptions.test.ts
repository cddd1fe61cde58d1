import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runAsk } from '../../../src/cli/ask';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { answerTurn, bodyMessages } from '../run/helpers';

/** `ponder ask`: instruction files, --effort and the context meter, as the endpoint and the terminal see them. */
describe('ponder ask: instruction files, --effort, context meter', () => {
  let wire: WireServer;
  let root: string;
  before(async () => { wire = await startWireServer(); });
  after(async () => { await wire.close(); });
  beforeEach(() => {
    wire.requests.length = 0;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-ask-opts-'));
    fs.mkdirSync(path.join(root, 'pkg/src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'AGENTS.md'), 'Root rule: tabs, not spaces.');
    fs.writeFileSync(path.join(root, 'pkg/AGENTS.md'), 'Pkg rule: no default exports.');
    fs.writeFileSync(path.join(root, 'pkg/src/a.ts'), 'export const a = 1;\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  async function ask(args: string[]) {
    let out = '';
    let err = '';
    const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; }, env: { ...process.env, PONDER_LEDGER: path.join(root, 'ledger.jsonl') }, cwd: root };
    const code = await runAsk(['--base-url', wire.url, '--model', 'test-model', '--provider', 'vllm', ...args], io, { interactive: false, stdin: new PassThrough(), color: false });
    return { code, out, err };
  }

  it('sends the AGENTS.md files on the path to --file, and --effort high as reasoning_effort; the terminal shows both and the meter', async () => {
    wire.enqueue(answerTurn('Done.'));
    const r = await ask(['--file', 'pkg/src/a.ts', '--effort', 'high', 'Explain a']);
    assert.equal(r.code, 0, r.err);
    const body = wire.chatRequests[0].body as Record<string, unknown>;
    assert.equal(body.reasoning_effort, 'high');
    const system = String(bodyMessages(wire.chatRequests[0])[0].content);
    assert.ok(system.indexOf('Security rules') < system.indexOf('Root rule') && system.indexOf('Root rule') < system.indexOf('Pkg rule'), system);
    assert.match(r.err, /endpoint cli \(test-model\) · effort high/);
    assert.match(r.err, /context \d+ items/, r.err);
    assert.match(r.err, /ponder: Window: [\d,]+ of [\d,]+ tokens \(\d+%\): context [\d,]+ · instruction files [\d,]+ · instructions [\d,]+ .*; [\d,]+ kept for the answer/);
  });

  it('a settings file turns AGENTS.md off; a bad --effort is a usage error', async () => {
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode/settings.json'), JSON.stringify({ 'ponder.instructions.agentsMd': false }));
    wire.enqueue(answerTurn('Done.'));
    const r = await ask(['--file', 'pkg/src/a.ts', 'Explain a']);
    assert.equal(r.code, 0, r.err);
    assert.ok(!String(bodyMessages(wire.chatRequests[0])[0].content).includes('Root rule'));
    const bad = await ask(['--effort', 'max', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--effort "max": use low, medium or high/);
  });
});
