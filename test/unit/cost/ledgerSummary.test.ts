import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ledger } from '../../../src/core/cost/ledger';
import { spentFromSummary } from '../../../src/core/cost/ledgerSummary';
import { totals } from '../../../src/core/cost/totals';

describe('budget check: the ledger\'s running summary', () => {
  let dir: string;
  let file: string;
  const now = Date.now();
  const line = (i: number, ms: number, cost: number | null) => JSON.stringify({ v: 1, id: `r${i}`, time: new Date(ms).toISOString(), endpoint: 'e', model: 'm', tokens: { prompt: 1, cached: 0, cacheWrite: 0, completion: 1, reasoning: 0 }, cost, currency: 'USD', source: cost === null ? 'unpriced' : 'provider', status: 'done' }) + '\n';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-summary-'));
    file = path.join(dir, 'ledger.jsonl');
    // 4,000 requests over 200 days, in time order, a few unpriced.
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) lines.push(line(i, now - 200 * 86400_000 + i * 4320_000, i % 7 === 0 ? null : 0.001 * (1 + (i % 5))));
    fs.writeFileSync(file, lines.join(''));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const truth = async () => { const t = totals(await new Ledger(file).read(), { now }); return { today: t.today.amount, month: t.month.amount }; };
  const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} vs ${b}`);

  it('gives today\'s and this month\'s spend as a full read does, then follows appends and a replaced file', async () => {
    let s = await spentFromSummary(file, now);
    let t = await truth();
    close(s.today.amount, t.today);
    close(s.month.amount, t.month);
    assert.ok(fs.existsSync(`${file}.summary`));
    fs.appendFileSync(file, line(9001, now, 0.5) + line(9002, now, 0.25));
    s = await spentFromSummary(file, now);
    t = await truth();
    close(s.today.amount, t.today);
    close(s.month.amount, t.month);
    // Replaced (another file at that path): the summary is rebuilt, not trusted.
    fs.rmSync(file);
    fs.writeFileSync(file, line(1, now, 2));
    s = await spentFromSummary(file, now);
    close(s.today.amount, 2);
  });

  it('an unfinished last line is counted once it is complete', async () => {
    const full = line(7777, now, 1);
    fs.appendFileSync(file, full.slice(0, 40));
    const before = (await spentFromSummary(file, now)).today.amount;
    fs.appendFileSync(file, full.slice(40));
    close((await spentFromSummary(file, now)).today.amount, before + 1);
  });

  it('the editor\'s ledger reads only the recent part of a long ledger when asked for recent entries, and all of it when asked', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) lines.push(line(i, now - 300 * 86400_000 + i * 864_000, 0.001));
    fs.writeFileSync(file, lines.join(''));
    assert.ok(fs.statSync(file).size > 4 << 20);
    const since = new Date(now - 20 * 86400_000);
    const ledger = new Ledger(file);
    const recent = await ledger.read({ since });
    const expected = lines.map((l) => JSON.parse(l) as { id: string; time: string }).filter((e) => Date.parse(e.time) >= since.getTime()).map((e) => e.id);
    assert.deepEqual(recent.map((e) => e.id), expected);
    fs.appendFileSync(file, line(99_999, now, 1));
    assert.equal((await ledger.read({ since })).length, expected.length + 1);
    assert.equal((await ledger.read()).length, 30_001, 'all of it once asked');
  });
});
