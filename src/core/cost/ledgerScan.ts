import * as fs from 'node:fs';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { describeZodError } from '../config/settings';
import { LedgerEntrySchema, type LedgerEntry } from './types';

/** A request's line written twice comes from a retried append, moments apart: ids are remembered this many lines back. */
const DEDUPE_WINDOW = 8192;

/**
 * Reads a ledger of any length in one pass without holding it: each valid entry is handed to
 * `onEntry` with its time in ms, in file order, each request once (a line repeated within the
 * last DEDUPE_WINDOW lines counts once). Memory stays at one chunk plus the window's ids.
 */
export async function scanLedger(file: string, onEntry: (e: LedgerEntry, ms: number) => void, log: Logger = silentLogger): Promise<{ entries: number }> {
  const seen = new Set<string>();
  const ring: string[] = new Array<string>(DEDUPE_WINDOW);
  let entries = 0;
  let lineNo = 0;
  const take = (line: string): void => {
    const at = ++lineNo;
    if (!line.trim()) return;
    let json: unknown;
    try { json = JSON.parse(line); } catch {
      log.warn(`Spend ledger ${file}: skipped a broken line (line ${at}; a window or process was probably killed while writing it).`);
      return;
    }
    let e = quickEntry(json);
    let ms = e ? Date.parse(e.time) : NaN;
    if (!e || Number.isNaN(ms)) {
      const parsed = LedgerEntrySchema.safeParse(json);
      if (!parsed.success) { log.warn(`Spend ledger ${file}: skipped an invalid entry (line ${at}: ${describeZodError(parsed.error)}).`); return; }
      e = parsed.data;
      ms = Date.parse(e.time);
    }
    // Flattened copy: a sliced id would keep the whole chunk it came from alive.
    const id = (' ' + e.id).slice(1);
    if (seen.has(id)) return;
    const slot = entries % DEDUPE_WINDOW;
    if (ring[slot] !== undefined) seen.delete(ring[slot]);
    ring[slot] = id;
    seen.add(id);
    entries++;
    onEntry(e, ms);
  };
  let rest = '';
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      take(text.slice(from, nl));
      from = nl + 1;
    }
    rest = text.slice(from);
  }
  if (rest.trim()) log.warn(`Spend ledger ${file}: the last line (${Buffer.byteLength(rest)} bytes) is incomplete and was skipped; a writer was probably killed while writing it.`);
  return { entries };
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const optStr = (v: unknown) => v === undefined || typeof v === 'string';
const SOURCES = new Set(['provider', 'price-table', 'gpu-hour', 'unpriced']);
const STATUSES = new Set(['done', 'error', 'cancelled']);

/**
 * The common case without zod: a line exactly as Ponder writes it. Anything unusual (a field
 * missing, a default to fill, a value out of range) goes through the schema instead.
 */
export function quickEntry(j: unknown): LedgerEntry | undefined {
  const e = j as Record<string, unknown> | null;
  if (!e || typeof e !== 'object' || e.v !== 1 || typeof e.id !== 'string' || !e.id || typeof e.time !== 'string') return undefined;
  if (typeof e.endpoint !== 'string' || typeof e.model !== 'string' || e.currency !== 'USD') return undefined;
  if (!(e.cost === null || (isNum(e.cost) && e.cost >= 0))) return undefined;
  if (typeof e.source !== 'string' || !SOURCES.has(e.source) || typeof e.status !== 'string' || !STATUSES.has(e.status)) return undefined;
  if (!optStr(e.provider) || !optStr(e.note) || !optStr(e.workspace) || !optStr(e.command) || !optStr(e.session)) return undefined;
  if (e.durationMs !== undefined && !(isNum(e.durationMs) && e.durationMs >= 0)) return undefined;
  const t = e.tokens as Record<string, unknown> | null;
  if (!t || typeof t !== 'object' || !isCount(t.prompt) || !isCount(t.cached) || !isCount(t.cacheWrite) || !isCount(t.completion) || !isCount(t.reasoning)) return undefined;
  return e as unknown as LedgerEntry;
}
