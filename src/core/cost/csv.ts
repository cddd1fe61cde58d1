import type { LedgerEntry } from './types';

export const CSV_COLUMNS = [
  'time', 'id', 'endpoint', 'model', 'provider', 'workspace', 'command', 'status',
  'prompt_tokens', 'cached_tokens', 'cache_write_tokens', 'completion_tokens', 'reasoning_tokens',
  'cost_usd', 'source', 'duration_ms', 'note',
] as const;

/** RFC 4180 CSV of ledger entries, one row per request; an unpriced request has an empty cost. */
export function toCsv(entries: readonly LedgerEntry[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  return rows.join('\r\n') + '\r\n' + entries.map(csvRow).join('');
}

/** One CSV row with its line end. */
export function csvRow(e: LedgerEntry): string {
  return [
    e.time, e.id, e.endpoint, e.model, e.provider ?? '', e.workspace ?? '', e.command ?? '', e.status,
    e.tokens.prompt, e.tokens.cached, e.tokens.cacheWrite, e.tokens.completion, e.tokens.reasoning,
    e.cost === null ? '' : e.cost, e.source, e.durationMs ?? '', e.note ?? '',
  ].map(cell).join(',') + '\r\n';
}

function cell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  // A spreadsheet runs a cell that starts with = + - @ as a formula; names come from settings and
  // workspaces, so they are defused with a leading quote.
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
