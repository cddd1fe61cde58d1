import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { MAI_SECRET_MARK, startWireServer, type WireServer } from '../../fixtures/wire';

/** `ponder ask` against MAI-Thinking-1 on Foundry (the wire server's MAI dialect), as a terminal user sees it. */
describe('ponder ask: MAI-Thinking-1 on Foundry (built CLI, spawned)', function () {
  this.timeout(60_000);
  const KEY = 'foundry-key-cli-0123456789';
  let wire: WireServer;
  let tmp: string;
  let cli: string;
  let root: string;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-ask-mai-'));
    cli = path.join(tmp, 'cli.js');
    await esbuild.build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, logLevel: 'silent' });
    wire = await startWireServer({ apiKey: KEY });
    root = fs.mkdtempSync(path.join(tmp, 'ws-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/a.ts'), 'export const a = 1;\n');
    // The README's example, with the portal's endpoint and a deployment name.
    fs.writeFileSync(path.join(root, 'settings.json'), JSON.stringify({
      'ponder.endpoints': [{ id: 'mai', label: 'MAI-Thinking-1 (Foundry)', provider: 'foundry', baseUrl: wire.origin, model: 'mai-prod', auth: 'apiKey', maxRetries: 0 }],
      'ponder.defaultEndpoint': 'mai',
    }));
  });
  after(async () => { await wire.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

  function ask(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [cli, 'ask', '--root', root, '--settings', path.join(root, 'settings.json'), '--ledger', path.join(root, 'ledger.jsonl'), '--api-key-env', 'MAI_KEY', ...args],
        { env: { ...process.env, NO_COLOR: '1', PONDER_LEDGER: '', MAI_KEY: KEY }, timeout: 50_000 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) }));
    });
  }

  it('answers through /mai/v1, says reasoning is private with thinking time and reasoning tokens', async () => {
    const r = await ask(['--endpoint', 'mai', '--tools', 'none', 'What is 2+2?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'MAI on Foundry answers: 4.\n');
    assert.equal(wire.chatRequests.at(-1)!.path, '/mai/v1/chat/completions');
    assert.match(r.stderr, /Thinking… \(reasoning is private on this endpoint\)/);
    assert.match(r.stderr, /ponder: reasoning is private on this endpoint: thought for \d+\.\d s, 64 reasoning tokens/);
  });

  it('a tool loop carries the encrypted reasoning back; it is in neither the JSONL output, stderr nor the ledger', async () => {
    wire.enqueue('mai-foundry-tools', 'mai-foundry');
    const sent = wire.chatRequests.length;
    const r = await ask(['--endpoint', 'mai', '--tools', 'read', '--jsonl', 'What is in a.ts?']);
    assert.equal(r.code, 0, r.stderr);
    const second = wire.chatRequests[sent + 1];
    const assistant = (second.body!.messages as Record<string, unknown>[]).find((m) => m.role === 'assistant')!;
    assert.match(JSON.stringify(assistant.reasoning), new RegExp(MAI_SECRET_MARK));
    const end = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; privateReasoning?: boolean; thinkingMs?: number }).find((e) => e.type === 'request.end');
    assert.equal(end?.privateReasoning, true);
    assert.ok((end?.thinkingMs ?? -1) >= 0);
    for (const [what, text] of [['stdout', r.stdout], ['stderr', r.stderr], ['ledger', fs.readFileSync(path.join(root, 'ledger.jsonl'), 'utf8')]]) {
      assert.equal(text.includes(MAI_SECRET_MARK), false, `opaque reasoning in ${what}`);
    }
  });
});
