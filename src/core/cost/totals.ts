import type { LedgerEntry } from './types';
import { roundUsd } from './pricing';

/** Spend and tokens of a set of requests. */
export interface Bucket {
  /** USD of the priced requests. */
  amount: number;
  requests: number;
  /** Requests with no price (their tokens still count). */
  unpriced: number;
  tokens: { prompt: number; cached: number; cacheWrite: number; completion: number; reasoning: number; total: number };
}

export interface DayPoint { day: string; amount: number; tokens: number; requests: number }

export interface Totals {
  session: Bucket;
  today: Bucket;
  month: Bucket;
  /** Key of today's and this month's buckets, local time: "2026-11-22", "2026-11". */
  dayKey: string;
  monthKey: string;
  /** This month, per endpoint id and per workspace ("(none)" when the request had no workspace). */
  byEndpoint: Record<string, Bucket>;
  byWorkspace: Record<string, Bucket>;
  /** This month's days up to today, oldest first, with zero days filled in: the chart's series. */
  days: DayPoint[];
}

export function emptyBucket(): Bucket {
  return { amount: 0, requests: 0, unpriced: 0, tokens: { prompt: 0, cached: 0, cacheWrite: 0, completion: 0, reasoning: 0, total: 0 } };
}

export function addToBucket(b: Bucket, e: LedgerEntry): void {
  b.requests += 1;
  if (e.cost === null) b.unpriced += 1;
  else b.amount = roundUsd(b.amount + e.cost);
  b.tokens.prompt += e.tokens.prompt;
  b.tokens.cached += e.tokens.cached;
  b.tokens.cacheWrite += e.tokens.cacheWrite;
  b.tokens.completion += e.tokens.completion;
  b.tokens.reasoning += e.tokens.reasoning;
  // Cached and reasoning tokens are inside prompt and completion: not counted twice.
  b.tokens.total += e.tokens.prompt + e.tokens.completion;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Days and months are the user's local calendar: "today" is what the clock on the wall says. */
export function dayKeyOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
export function monthKeyOf(ms: number): string {
  return dayKeyOf(ms).slice(0, 7);
}

/** Local midnight on the first of `now`'s month: read the ledger `since` this for day and month totals. */
export function startOfMonth(now: number): Date {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), 1);
}

/** Session, day and month totals, per endpoint and workspace, and the daily series for the chart. */
export function totals(entries: readonly LedgerEntry[], opts: { now: number; sessionId?: string; days?: number }): Totals {
  const dayKey = dayKeyOf(opts.now);
  const monthKey = dayKey.slice(0, 7);
  const t: Totals = {
    session: emptyBucket(), today: emptyBucket(), month: emptyBucket(), dayKey, monthKey,
    byEndpoint: {}, byWorkspace: {}, days: [],
  };
  const series = new Map<string, DayPoint>();
  const first = new Date(opts.now);
  // The chart covers the month so far, or the last `days` days when asked.
  const start = opts.days ? new Date(first.getFullYear(), first.getMonth(), first.getDate() - opts.days + 1) : new Date(first.getFullYear(), first.getMonth(), 1);
  for (let d = new Date(start); dayKeyOf(d.getTime()) <= dayKey; d.setDate(d.getDate() + 1)) {
    series.set(dayKeyOf(d.getTime()), { day: dayKeyOf(d.getTime()), amount: 0, tokens: 0, requests: 0 });
  }
  // Entries older than both the chart and the month only count for the session: skip the
  // calendar arithmetic for them (a long ledger is mostly such entries).
  const horizon = Math.min(start.getTime(), new Date(first.getFullYear(), first.getMonth(), 1).getTime());
  // Ledger lines come roughly in time order: remember the last day's bounds instead of formatting a date per line.
  let dayStart = Infinity;
  let dayEnd = -Infinity;
  let lastDay = '';
  for (const e of entries) {
    const ms = Date.parse(e.time);
    if (opts.sessionId && e.session === opts.sessionId) addToBucket(t.session, e);
    if (ms < horizon) continue;
    if (ms < dayStart || ms >= dayEnd) {
      const d = new Date(ms);
      dayStart = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
      dayEnd = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
      lastDay = dayKeyOf(ms);
    }
    const day = lastDay;
    if (day === dayKey) addToBucket(t.today, e);
    const point = series.get(day);
    if (point) {
      point.requests += 1;
      point.tokens += e.tokens.prompt + e.tokens.completion;
      if (e.cost !== null) point.amount = roundUsd(point.amount + e.cost);
    }
    if (day.slice(0, 7) !== monthKey) continue;
    addToBucket(t.month, e);
    addToBucket((t.byEndpoint[e.endpoint] ??= emptyBucket()), e);
    addToBucket((t.byWorkspace[e.workspace || '(none)'] ??= emptyBucket()), e);
  }
  t.days = [...series.values()];
  return t;
}

/** One bucket over any set of entries (the CLI's `--since`). */
export function bucketOf(entries: readonly LedgerEntry[]): Bucket {
  const b = emptyBucket();
  for (const e of entries) addToBucket(b, e);
  return b;
}
