import { strict as assert } from 'node:assert';
import {
  totals, toCsv, breakEven, buildReport, ReportSnapshotSchema, ledgerEntryFromEvents, costOfRequest, defaultLedgerPath, LedgerEntrySchema,
  type LedgerEntry, type LedgerEntryInput,
} from '../../../src/core/cost';
import { RequestEmitter, type PonderEvent } from '../../../src/core/events';
import { asClientWould, RAW } from './usageFixtures';

/** Local wall-clock times, so the test means the same in every time zone. */
const at = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h).toISOString();
function e(id: string, time: string, extra: Partial<LedgerEntryInput> = {}): LedgerEntry {
  return LedgerEntrySchema.parse({
    v: 1, id, time, endpoint: 'mai', model: 'mai-thinking-1', tokens: { prompt: 1000, cached: 100, completion: 200, reasoning: 50 },
    cost: 0.01, source: 'price-table', status: 'done', workspace: 'shop', session: 's1', ...extra,
  });
}

describe('totals', () => {
  const now = new Date(2026, 10, 22, 15).getTime();
  const entries = [
    e('old', at(2026, 10, 31), { cost: 5 }),
    e('m1', at(2026, 11, 1), { cost: 0.5, endpoint: 'team-vllm', source: 'gpu-hour', workspace: 'infra', session: 's0' }),
    e('m2', at(2026, 11, 20), { cost: 0.25 }),
    e('t1', at(2026, 11, 22, 9), { cost: 0.1 }),
    e('t2', at(2026, 11, 22, 14), { cost: null, source: 'unpriced', endpoint: 'mai-new', workspace: undefined }),
  ];
  const t = totals(entries, { now, sessionId: 's1' });

  it('session, today and month, with unpriced requests counted but not priced', () => {
    assert.equal(t.dayKey, '2026-11-22');
    assert.equal(t.today.amount, 0.1);
    assert.equal(t.today.requests, 2);
    assert.equal(t.today.unpriced, 1);
    assert.equal(t.month.amount, 0.85);
    assert.equal(t.month.requests, 4);
    assert.equal(t.session.requests, 4); // s1 includes last month's request
    assert.equal(t.session.amount, 5.35);
    assert.equal(t.today.tokens.total, 2400); // prompt + completion: cached and reasoning are inside them
  });

  it('per endpoint and per workspace for the month', () => {
    assert.deepEqual(Object.keys(t.byEndpoint).sort(), ['mai', 'mai-new', 'team-vllm']);
    assert.equal(t.byEndpoint.mai.amount, 0.35);
    assert.equal(t.byEndpoint['mai-new'].unpriced, 1);
    assert.equal(t.byWorkspace.infra.amount, 0.5);
    assert.equal(t.byWorkspace['(none)'].requests, 1);
  });

  it('a day-by-day series for the month so far, empty days included', () => {
    assert.equal(t.days.length, 22);
    assert.deepEqual(t.days[0], { day: '2026-11-01', amount: 0.5, tokens: 1200, requests: 1 });
    assert.deepEqual(t.days[1], { day: '2026-11-02', amount: 0, tokens: 0, requests: 0 });
    assert.equal(t.days[21].day, '2026-11-22');
    assert.equal(t.days[21].tokens, 2400);
    assert.equal(totals(entries, { now, days: 30 }).days[0].day, '2026-10-24');
  });
});

describe('ledger entry from a request\'s events', () => {
  function events(kind: 'done' | 'cancelled' | 'tools'): PonderEvent[] {
    const out: PonderEvent[] = [];
    let clock = Date.UTC(2026, 10, 22, 10);
    const em = new RequestEmitter('req-1', (ev) => out.push(ev), () => (clock += 100));
    em.emit({ type: 'request.start', endpoint: 'mai-foundry', model: 'mai-thinking-1', provider: 'foundry', command: 'explain', workspace: 'shop' });
    em.emit({ type: 'content.delta', text: 'hi' });
    const { usage } = asClientWould(RAW.foundry);
    const cost = costOfRequest({ usage, pricing: { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 }, durationMs: 1000, partial: kind === 'cancelled' ? 'cancelled' : undefined });
    em.emit({ type: 'usage', usage });
    em.emit({ type: 'cost', ...cost });
    if (kind === 'tools') {
      em.emit({ type: 'usage', usage });
      em.emit({ type: 'cost', ...cost });
    }
    if (kind === 'cancelled') em.emit({ type: 'error', kind: 'cancelled', message: 'Cancelled' });
    em.emit({ type: 'request.end', finishReason: kind === 'cancelled' ? 'cancelled' : 'stop', ms: 1234 });
    return out;
  }

  it('records endpoint, model, tokens by kind, cost, source, workspace, command and status', () => {
    const entry = ledgerEntryFromEvents(events('done'), { sessionId: 'win-1' });
    assert.ok(entry);
    assert.equal(entry.id, 'req-1');
    assert.equal(entry.time, '2026-11-22T10:00:00.100Z');
    assert.deepEqual(entry.tokens, { prompt: 5210, cached: 4096, cacheWrite: 0, completion: 1843, reasoning: 1216 });
    assert.equal(entry.cost, (1114 * 2 + 4096 * 0.5 + 1843 * 8) / 1e6);
    assert.equal(entry.source, 'price-table');
    assert.equal(entry.status, 'done');
    assert.equal(entry.command, 'explain');
    assert.equal(entry.workspace, 'shop');
    assert.equal(entry.session, 'win-1');
    assert.equal(entry.durationMs, 1234);
  });

  it('adds up the model calls of a tool loop', () => {
    const entry = ledgerEntryFromEvents(events('tools'));
    assert.equal(entry?.tokens.prompt, 10420);
    assert.ok(Math.abs((entry?.cost ?? 0) - 2 * (1114 * 2 + 4096 * 0.5 + 1843 * 8) / 1e6) < 1e-9);
  });

  it('a cancelled request is recorded as cancelled with its partial cost and note', () => {
    const entry = ledgerEntryFromEvents(events('cancelled'));
    assert.equal(entry?.status, 'cancelled');
    assert.ok((entry?.cost ?? 0) > 0);
    assert.match(entry?.note ?? '', /cancelled request/);
  });

  it('nothing until the request has ended', () => {
    const evs = events('done');
    assert.equal(ledgerEntryFromEvents(evs.slice(0, -1)), undefined);
  });

  it('nothing for a request refused before it reached the model (no usage, no cost)', () => {
    const evs = events('done').filter((ev) => ev.type !== 'usage' && ev.type !== 'cost');
    assert.equal(ledgerEntryFromEvents(evs), undefined);
  });
});

describe('CSV export', () => {
  it('one row per request with a header, quoting commas and quotes, an empty cell for no price', () => {
    const csv = toCsv([
      e('a', '2026-11-22T10:00:00.000Z', { workspace: 'my, "shop"', note: 'line1\nline2' }),
      e('b', '2026-11-22T11:00:00.000Z', { cost: null, source: 'unpriced', workspace: '=HYPERLINK("x")' }),
    ]);
    const rows = csv.split('\r\n');
    assert.equal(rows[0], 'time,id,endpoint,model,provider,workspace,command,status,prompt_tokens,cached_tokens,cache_write_tokens,completion_tokens,reasoning_tokens,cost_usd,source,duration_ms,note');
    assert.equal(rows[1], '2026-11-22T10:00:00.000Z,a,mai,mai-thinking-1,,"my, ""shop""",,done,1000,100,0,200,50,0.01,price-table,,"line1\nline2"');
    assert.equal(rows[2], `2026-11-22T11:00:00.000Z,b,mai,mai-thinking-1,,"'=HYPERLINK(""x"")",,done,1000,100,0,200,50,,unpriced,,`);
    assert.equal(rows[3], '');
  });
});

describe('self-hosted break-even', () => {
  const month = totals([
    e('v1', at(2026, 11, 3), { endpoint: 'team-vllm', tokens: { prompt: 30_000_000, cached: 0, completion: 10_000_000, reasoning: 0 }, source: 'gpu-hour', cost: 100 }),
  ], { now: new Date(2026, 10, 22).getTime() }).byEndpoint['team-vllm'];

  it('at $X/h the server is cheaper above N tokens a month, from the endpoint\'s own token mix', () => {
    const b = breakEven({ endpoint: 'team-vllm', month, serverPricing: { perHour: 19.84, concurrency: 8 }, apiPricing: { inputPerMTok: 2, outputPerMTok: 8 }, apiProfile: 'mai-openrouter' });
    // Mix 3:1 -> (30*2 + 10*8)/40 = $3.50 per million; 19.84*730 = $14,483.20 a month -> 4,138.06M tokens
    assert.equal(b.monthTokens, 40_000_000);
    assert.equal(b.apiCostOfMonth, 140);
    assert.ok(Math.abs((b.apiUsdPerMTok ?? 0) - 3.5) < 1e-9);
    assert.equal(b.breakEvenTokens, Math.ceil((19.84 * 730 / 3.5) * 1e6));
    assert.match(b.message, /At \$19\.84\/h \(730 h\/month: \$14,483\.20\), your server is cheaper than API prices of "mai-openrouter" .* above 4\.14B tokens\/month/);
  });

  it('no API prices to compare with, or no hourly price: says what to set', () => {
    assert.match(breakEven({ endpoint: 'team-vllm', month, serverPricing: { perHour: 5 } }).message, /No API per-token price to compare with/);
    assert.match(breakEven({ endpoint: 'team-vllm', month, apiPricing: { inputPerMTok: 1, outputPerMTok: 1 } }).message, /Set pricing\.perHour on "team-vllm"/);
  });
});

describe('default ledger path for the CLI', () => {
  it('PONDER_LEDGER wins, then the platform config folder', () => {
    assert.equal(defaultLedgerPath({ PONDER_LEDGER: '/x/l.jsonl' }, 'linux', '/home/u'), '/x/l.jsonl');
    assert.equal(defaultLedgerPath({}, 'linux', '/home/u'), '/home/u/.config/ponder/ledger.jsonl');
    assert.equal(defaultLedgerPath({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u'), '/cfg/ponder/ledger.jsonl');
    assert.equal(defaultLedgerPath({}, 'darwin', '/Users/u'), '/Users/u/Library/Application Support/ponder/ledger.jsonl');
    assert.equal(defaultLedgerPath({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Roaming\\ponder\\ledger.jsonl');
  });
});

describe('cost report content', () => {
  const now = new Date(2026, 10, 22, 15).getTime();
  const entries = [
    e('v', at(2026, 11, 3), { endpoint: 'team-vllm', provider: 'vllm', source: 'gpu-hour', cost: 2, tokens: { prompt: 3_000_000, cached: 0, completion: 1_000_000, reasoning: 0 } }),
    e('o', at(2026, 11, 22), { endpoint: 'mai-openrouter', provider: 'openrouter', source: 'provider', cost: 0.5 }),
  ];
  const profiles = [
    { id: 'team-vllm', label: 'Team vLLM', provider: 'vllm', pricing: { perHour: 10, concurrency: 4 } },
    { id: 'mai-openrouter', label: 'MAI (OpenRouter)', provider: 'openrouter', pricing: { inputPerMTok: 1, outputPerMTok: 5 } },
    { id: 'other-api', label: 'Other', provider: 'fireworks', pricing: { inputPerMTok: 3, outputPerMTok: 15 } },
  ];
  const budget = { perRequest: null, daily: 5, monthly: 50, hardLimit: false };

  it('lists totals, endpoints by spend with their labels, and a break-even for the self-hosted endpoint', () => {
    const r = buildReport(entries, { now, ledgerPath: '/l', profiles, budget, sessionId: 's1' });
    assert.equal(ReportSnapshotSchema.safeParse(r).success, true);
    assert.equal(r.month.amount, 2.5);
    assert.deepEqual(r.byEndpoint.map((x) => [x.key, x.label, x.source]), [['team-vllm', 'Team vLLM', 'gpu-hour'], ['mai-openrouter', 'MAI (OpenRouter)', 'provider']]);
    assert.equal(r.selfHosted.length, 1);
    const sh = r.selfHosted[0];
    assert.equal(sh.monthTokens, 4_000_000);
    assert.equal(sh.apiProfile, 'mai-openrouter');
    // (3*1 + 1*5)/4 = $2/M; $10/h * 730 = $7300 -> 3.65B tokens
    assert.equal(sh.breakEvenTokens, 3_650_000_000);
    assert.deepEqual(sh.apiChoices.map((c) => c.id), ['mai-openrouter', 'other-api']);
    const other = buildReport(entries, { now, ledgerPath: '/l', profiles, budget, compare: { 'team-vllm': 'other-api' } });
    assert.equal(other.selfHosted[0].apiProfile, 'other-api');
    assert.equal(other.selfHosted[0].breakEvenTokens, Math.ceil((7300 / 6) * 1e6));
  });
});
