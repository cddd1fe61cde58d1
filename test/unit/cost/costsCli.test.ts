import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIo } from '../../../src/cli/command';
import { costsCommand } from '../../../src/cli/costs';
import { Ledger } from '../../../src/core/cost';

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, env, cwd: process.cwd() };
  // Called directly: main()'s dynamic import() is resolved by Node's ESM loader, which tsx/cjs does not hook.
  assert.equal(args[0], 'costs');
  const code = await costsCommand(args.slice(1), io);
  return { code, out, err };
}

describe('ponder costs', () => {
  let dir: string;
  let file: string;
  const today = new Date();
  const earlier = new Date(today.getFullYear(), today.getMonth() - 2, 3, 12);
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-costs-'));
    file = path.join(dir, 'ledger.jsonl');
    const ledger = new Ledger(file);
    const base = { v: 1 as const, model: 'mai-thinking-1', status: 'done' as const };
    await ledger.append({ ...base, id: 'a', time: today.toISOString(), endpoint: 'mai-openrouter', tokens: { prompt: 10_000, completion: 2_000 }, cost: 0.0412, source: 'provider', workspace: 'shop' });
    await ledger.append({ ...base, id: 'b', time: today.toISOString(), endpoint: 'team-vllm', tokens: { prompt: 50_000, completion: 5_000 }, cost: 0.11, source: 'gpu-hour', workspace: 'infra' });
    await ledger.append({ ...base, id: 'c', time: today.toISOString(), endpoint: 'mai-foundry', tokens: { prompt: 1_000, completion: 100 }, cost: null, source: 'unpriced', workspace: 'shop' });
    await ledger.append({ ...base, id: 'old', time: earlier.toISOString(), endpoint: 'mai-openrouter', tokens: { prompt: 1, completion: 1 }, cost: 3, source: 'provider' });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints today, month and all-time totals, per endpoint and workspace, and flags unpriced requests', async () => {
    const r = await run(['costs', '--ledger', file]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Today \(\d{4}-\d{2}-\d{2}\)\s+3\s+68,100\s+\$0\.1512\s+\(\+1 unpriced\)/);
    assert.match(r.out, /All recorded\s+4\s+68,102\s+\$3\.15/);
    assert.match(r.out, /By endpoint, all recorded:\n.*\n\s+mai-openrouter\s+2\s+12,002\s+\$3\.04/);
    assert.match(r.out, /shop\s+2/);
    assert.match(r.out, /mai-foundry\s+1\s+1,100\s+price not set\n/);
    assert.match(r.out, /1 request has no price/);
  });

  it('--since limits the range', async () => {
    const d = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-01`;
    const r = await run(['costs', '--ledger', file, '--since', d]);
    assert.equal(r.code, 0);
    assert.match(r.out, new RegExp(`Since ${d}\\s+3\\s+68,100\\s+\\$0\\.1512`));
    assert.doesNotMatch(r.out, /\$3\.04/);
  });

  it('--csv prints one row per request', async () => {
    const r = await run(['costs', '--ledger', file, '--csv']);
    assert.equal(r.code, 0);
    const rows = r.out.trim().split('\r\n');
    assert.equal(rows.length, 5);
    assert.match(rows[0], /^time,id,endpoint,/);
    assert.match(rows[3], /,c,mai-foundry,.*,,unpriced,/);
  });

  it('reads $PONDER_LEDGER when no --ledger is given', async () => {
    const r = await run(['costs', '--csv'], { PONDER_LEDGER: file });
    assert.equal(r.out.trim().split('\r\n').length, 5);
  });

  it('exit 2 on a bad date, an unknown flag or a missing --ledger file; 0 with a message on an empty default ledger', async () => {
    const bad = await run(['costs', '--ledger', file, '--since', 'last tuesday']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--since "last tuesday" is not a date; use YYYY-MM-DD/);
    assert.equal((await run(['costs', '--frobnicate'])).code, 2);
    const missing = await run(['costs', '--ledger', path.join(dir, 'nope.jsonl')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no ledger at .*nope\.jsonl/);
    const empty = await run(['costs'], { PONDER_LEDGER: path.join(dir, 'fresh', 'ledger.jsonl') });
    assert.equal(empty.code, 0);
    assert.match(empty.out, /No requests recorded yet/);
  });
});
