import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  checkBudget, smallerPromptBudget, estimateRequest, preflightBudget, WarningGate, Ledger, costOfRequest,
  type Budget, type BudgetDecision,
} from '../../../src/core/cost';

const none: Budget = { perRequest: null, daily: null, monthly: null, hardLimit: false };
const spent = (today: number, month: number) => ({ today: { amount: today }, month: { amount: month }, dayKey: '2026-11-22', monthKey: '2026-11' });
const pricing = { inputPerMTok: 2, outputPerMTok: 8 };

describe('budgets', () => {
  it('no budget set: every request goes', () => {
    assert.deepEqual(checkBudget({ estimate: 100, totals: spent(1000, 1000), budget: none }), { ok: true, warnings: [] });
  });

  it('refuses a request whose estimate is over the per-request budget, and can ask', () => {
    const est = estimateRequest({ promptTokens: 100_000, maxOutputTokens: 32_768, pricing }); // 0.2 + 0.262 = 0.462
    const r = checkBudget({ estimate: est.amount, totals: spent(0, 0), budget: { ...none, perRequest: 0.25 } });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.limit, 'perRequest');
    assert.equal(r.canAsk, true);
    assert.equal(r.allowedUsd, 0.25);
    assert.match(r.message, /may cost up to \$0\.4621.*per-request budget of \$0\.25/);
  });

  it('daily limit: today spent plus the estimate must fit; the shared ledger day is what counts', () => {
    const ok = checkBudget({ estimate: 0.5, totals: spent(4.4, 10), budget: { ...none, daily: 5 } });
    assert.equal(ok.ok, true);
    const over = checkBudget({ estimate: 0.7, totals: spent(4.4, 10), budget: { ...none, daily: 5 } });
    assert.equal(over.ok, false);
    if (!over.ok) { assert.equal(over.limit, 'daily'); assert.ok(Math.abs(over.allowedUsd - 0.6) < 1e-9); }
  });

  it('monthly limit, and the hard limit refuses instead of asking', () => {
    const r = checkBudget({ estimate: 0.2, totals: spent(0, 49.9), budget: { ...none, monthly: 50, hardLimit: true } });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.limit, 'monthly');
    assert.equal(r.canAsk, false);
    assert.match(r.message, /Refused: ponder\.budget\.hardLimit is on/);
  });

  it('an unpriced request passes the per-request limit but not a day already spent', () => {
    assert.equal(checkBudget({ estimate: null, totals: spent(1, 1), budget: { ...none, perRequest: 0.01, daily: 5 } }).ok, true);
    const r = checkBudget({ estimate: null, totals: spent(5, 5), budget: { ...none, daily: 5 } });
    assert.equal(r.ok, false);
  });

  it('warns at 80% of the daily and monthly budgets, once per day and per month', () => {
    const budget = { ...none, daily: 10, monthly: 100 };
    assert.deepEqual(checkBudget({ estimate: 0.1, totals: spent(7, 20), budget }), { ok: true, warnings: [] });
    const r = checkBudget({ estimate: 1, totals: spent(7.5, 79.5), budget });
    assert.ok(r.ok);
    assert.deepEqual(r.warnings.map((w) => w.key), ['daily:2026-11-22', 'monthly:2026-11']);
    assert.match(r.warnings[0].message, /85% of your daily budget: \$8\.50 of \$10\.00/);
    const gate = new WarningGate();
    assert.equal(gate.pass(r.warnings).length, 2);
    assert.equal(gate.pass(checkBudget({ estimate: 1, totals: spent(8, 80), budget }).warnings).length, 0);
    const tomorrow = { ...spent(8.5, 90), dayKey: '2026-11-23' };
    assert.deepEqual(gate.pass(checkBudget({ estimate: 0, totals: tomorrow, budget }).warnings).map((w) => w.key), ['daily:2026-11-23']);
    assert.equal(new WarningGate(gate.keys()).pass(r.warnings).length, 0);
  });

  it('"send with a smaller context" finds the largest prompt whose worst case fits what is left', () => {
    const r = checkBudget({ estimate: estimateRequest({ promptTokens: 200_000, maxOutputTokens: 10_000, pricing }).amount, totals: spent(0, 0), budget: { ...none, perRequest: 0.2 } });
    const tokens = smallerPromptBudget(r, 10_000, pricing);
    assert.equal(tokens, 60_000); // (0.2 - 10_000*8/1e6) / 2 * 1e6
    const fits = estimateRequest({ promptTokens: tokens ?? 0, maxOutputTokens: 10_000, pricing });
    assert.equal(checkBudget({ estimate: fits.amount, totals: spent(0, 0), budget: { ...none, perRequest: 0.2 } }).ok, true);
    assert.equal(checkBudget({ estimate: estimateRequest({ promptTokens: 60_001, maxOutputTokens: 10_000, pricing }).amount, totals: spent(0, 0), budget: { ...none, perRequest: 0.2 } }).ok, false);
    // When the output allowance alone is over, no context is small enough.
    const tight = checkBudget({ estimate: 1, totals: spent(0, 0), budget: { ...none, perRequest: 0.05 } });
    assert.equal(smallerPromptBudget(tight, 10_000, pricing), null);
  });

  describe('preflight against a real ledger', () => {
    let dir: string;
    let ledger: Ledger;
    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-budget-'));
      ledger = new Ledger(path.join(dir, 'ledger.jsonl'));
      // Another window already spent $4.90 today.
      const cost = costOfRequest({ usage: { prompt: 1_000_000, cached: 0, cacheWrite: 0, completion: 362_500, reasoning: 0 }, pricing, durationMs: 1 }).amount;
      assert.equal(cost, 4.9);
      await ledger.append({ v: 1, id: 'other-window', time: new Date().toISOString(), endpoint: 'mai', model: 'm', tokens: { prompt: 1_000_000, completion: 362_500 }, cost, source: 'price-table', status: 'done' });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const ask = (decision: BudgetDecision, seen: unknown[]) => async (refusal: unknown, smaller: number | null) => { seen.push({ refusal, smaller }); return decision; };

    it('override: the user chooses "Send anyway" and the request goes', async () => {
      const seen: unknown[] = [];
      const r = await preflightBudget({ promptTokens: 30_000, maxOutputTokens: 8000, pricing, ledger, budget: { ...none, daily: 5 }, ask: ask('send', seen) });
      assert.equal(r.action, 'send');
      assert.equal(seen.length, 1);
    });

    it('the user chooses a smaller context: told how many prompt tokens fit', async () => {
      const seen: Array<{ smaller: number | null }> = [];
      const r = await preflightBudget({ promptTokens: 30_000, maxOutputTokens: 8000, pricing, ledger, budget: { ...none, daily: 5 }, ask: ask('send-smaller', seen) });
      assert.equal(r.action, 'send-smaller');
      // $0.10 left; 8000 output tokens take $0.064; $0.036 buys 18,000 prompt tokens.
      if (r.action === 'send-smaller') assert.equal(r.promptTokens, 18_000);
      assert.equal(seen[0].smaller, 18_000);
    });

    it('cancel, and the hard limit refuses without asking', async () => {
      const seen: unknown[] = [];
      const c = await preflightBudget({ promptTokens: 30_000, maxOutputTokens: 8000, pricing, ledger, budget: { ...none, daily: 5 }, ask: ask('cancel', seen) });
      assert.equal(c.action, 'cancel');
      if (c.action === 'cancel') assert.equal(c.by, 'user');
      const hard = await preflightBudget({ promptTokens: 30_000, maxOutputTokens: 8000, pricing, ledger, budget: { ...none, daily: 5, hardLimit: true }, ask: ask('send', seen) });
      assert.equal(hard.action, 'cancel');
      if (hard.action === 'cancel') { assert.equal(hard.by, 'refused'); assert.match(hard.message, /daily budget/); }
      assert.equal(seen.length, 1);
    });

    it('a request that fits goes without asking', async () => {
      const r = await preflightBudget({ promptTokens: 5000, maxOutputTokens: 1000, pricing, ledger, budget: { ...none, daily: 5 }, ask: async () => { throw new Error('should not ask'); } });
      assert.equal(r.action, 'send');
      if (r.action === 'send') assert.equal(r.warnings[0]?.limit, 'daily');
    });
  });
});
