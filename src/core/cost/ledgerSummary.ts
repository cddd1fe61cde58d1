import * as fs from 'node:fs';
import { replaceFile } from '../userFiles';
import { dayKeyOf } from './totals';
import { roundUsd } from './pricing';
import type { SpentSoFar } from './budget';

/**
 * The budget check's running summary of a ledger: spend per quarter hour over the last 33
 * days, and the byte offset it covers. A check reads the summary and only the lines appended
 * since, so it costs the same whatever the ledger's length. Quarter hours, so that every
 * timezone's midnight falls on a bucket edge. The summary is a cache: a missing, stale or foreign
 * one is rebuilt from the ledger. A line written twice (a retried append) may count twice here:
 * the budget errs on the safe side; the report counts each request once.
 */
const BUCKET_MS = 15 * 60_000;
/** A month to date needs at most 31 days back, plus a day of slack for timezones. */
const KEEP_MS = 33 * 24 * 3600_000;

interface Summary { v: 1; ino: number; offset: number; buckets: Record<string, number> }

function load(file: string, ino: number, size: number): Summary {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as Summary;
    if (s.v === 1 && s.ino === ino && typeof s.offset === 'number' && s.offset <= size && s.buckets && typeof s.buckets === 'object') return s;
  } catch { /* missing or broken: rebuilt */ }
  return { v: 1, ino, offset: 0, buckets: {} };
}

/** Adds the complete lines of `file` from `s.offset` to the end into the buckets. */
async function catchUp(file: string, s: Summary, size: number, now: number): Promise<void> {
  if (size <= s.offset) return;
  const from = now - KEEP_MS;
  const fd = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(1 << 20, size - s.offset));
    let rest = '';
    let pos = s.offset;
    while (pos < size) {
      const { bytesRead } = await fd.read(buf, 0, Math.min(buf.length, size - pos), pos);
      if (!bytesRead) break;
      pos += bytesRead;
      const text = rest + buf.toString('utf8', 0, bytesRead);
      const last = text.lastIndexOf('\n');
      for (const line of text.slice(0, last + 1).split('\n')) {
        if (!line) continue;
        try {
          const e = JSON.parse(line) as { time?: unknown; cost?: unknown };
          const ms = typeof e.time === 'string' ? Date.parse(e.time) : NaN;
          if (!(ms >= from) || typeof e.cost !== 'number' || !Number.isFinite(e.cost) || e.cost < 0) continue;
          const k = String(Math.floor(ms / BUCKET_MS) * BUCKET_MS);
          s.buckets[k] = (s.buckets[k] ?? 0) + e.cost;
        } catch { /* a broken line costs nothing */ }
      }
      rest = text.slice(last + 1);
    }
    // An unfinished last line is read again next time.
    s.offset = pos - Buffer.byteLength(rest, 'utf8');
  } finally {
    await fd.close();
  }
}

/**
 * The start of a line at or before the first line whose time is at least `t`. Lines are appended
 * in time order, give or take a request's length (the bisection's target has a day of slack).
 */
export async function lineStartBefore(file: string, size: number, t: number): Promise<number> {
  const fd = await fs.promises.open(file, 'r');
  const buf = Buffer.alloc(16 * 1024);
  // The first whole line at or after `pos`: its start and time (NaN when none is readable).
  const lineAt = async (pos: number): Promise<{ start: number; time: number }> => {
    const { bytesRead } = await fd.read(buf, 0, buf.length, pos);
    const text = buf.toString('utf8', 0, bytesRead);
    const from = pos === 0 ? 0 : text.indexOf('\n') + 1;
    const end = text.indexOf('\n', from);
    if (from <= 0 && pos > 0 || end < 0) return { start: pos, time: NaN };
    const m = /"time":"([^"]+)"/.exec(text.slice(from, end));
    return { start: pos + Buffer.byteLength(text.slice(0, from)), time: m ? Date.parse(m[1]) : NaN };
  };
  try {
    let lo = 0;
    let hi = size;
    while (hi - lo > buf.length) {
      const mid = Math.floor((lo + hi) / 2);
      const { time } = await lineAt(mid);
      if (Number.isNaN(time)) break;
      if (time < t) lo = mid; else hi = mid;
    }
    return lo === 0 ? 0 : (await lineAt(lo)).start;
  } finally {
    await fd.close();
  }
}

/** Today's and this month's spend (local calendar) from the ledger, through its summary. */
export async function spentFromSummary(ledgerFile: string, now: number): Promise<SpentSoFar> {
  const d = new Date(now);
  const dayStart = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const dayEnd = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  const monthStart = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  const monthEnd = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
  const dayKey = dayKeyOf(now);
  let st: fs.Stats;
  try { st = await fs.promises.stat(ledgerFile); } catch { return { today: { amount: 0 }, month: { amount: 0 }, dayKey, monthKey: dayKey.slice(0, 7) }; }
  const file = `${ledgerFile}.summary`;
  const s = load(file, st.ino, st.size);
  const before = s.offset;
  // No summary yet: only the last two months matter, found by bisecting the (time-ordered) file.
  if (s.offset === 0) s.offset = await lineStartBefore(ledgerFile, st.size, now - KEEP_MS - 24 * 3600_000);
  await catchUp(ledgerFile, s, st.size, now);
  let today = 0;
  let month = 0;
  for (const [k, amount] of Object.entries(s.buckets)) {
    const t = Number(k);
    if (t < now - KEEP_MS) { delete s.buckets[k]; continue; }
    if (t >= monthStart && t < monthEnd) month += amount;
    if (t >= dayStart && t < dayEnd) today += amount;
  }
  // Rewritten after a good stretch only: until then a check reads a few KB of tail, cheaper than a write.
  if (before === 0 || s.offset - before > 64 * 1024) {
    try { replaceFile(file, JSON.stringify(s), 'utf8'); } catch { /* a read-only folder only costs speed */ }
  }
  return { today: { amount: roundUsd(today) }, month: { amount: roundUsd(month) }, dayKey, monthKey: dayKey.slice(0, 7) };
}
