import * as fs from 'node:fs';
import { EXIT, parseFlags, type CliCommand } from './command';
import { defaultLedgerPath, formatUsd, type Bucket } from '../core/cost';
import { addToBucket, dayKeyOf, emptyBucket } from '../core/cost/totals';
import { CSV_COLUMNS, csvRow } from '../core/cost/csv';
import { scanLedger } from '../core/cost/ledgerScan';
import type { Logger } from '../core/log';

/**
 * `ponder costs [--since DATE] [--csv] [--ledger FILE]`: the ledger's totals (today, this month,
 * since DATE, per endpoint and workspace), or its rows as CSV. The ledger is `defaultLedgerPath()`,
 * the one the editor writes too.
 */
export const costsCommand: CliCommand = async (argv, io) => {
  let flags;
  try {
    flags = parseFlags(argv, { since: { type: 'string' }, csv: { type: 'boolean' }, ledger: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, false, 'costs').values;
  } catch (err) {
    io.err(`ponder costs: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  if (flags.help) {
    io.out('Usage: ponder costs [--since DATE] [--csv] [--ledger FILE]\n  DATE: YYYY-MM-DD (local midnight) or an ISO time.\n  FILE: default $PONDER_LEDGER or ~/.config/ponder/ledger.jsonl, the ledger the editor and the CLI share.\n');
    return EXIT.ok;
  }
  let since: Date | undefined;
  if (flags.since !== undefined) {
    since = parseSince(flags.since);
    if (!since) {
      io.err(`ponder costs: --since "${flags.since}" is not a date; use YYYY-MM-DD, e.g. --since 2026-11-01.\n`);
      return EXIT.usage;
    }
  }
  const file = flags.ledger ?? defaultLedgerPath(io.env);
  if (flags.ledger !== undefined && !fs.existsSync(file)) {
    io.err(`ponder costs: no ledger at ${file} (--ledger). The editor and the CLI share ${defaultLedgerPath(io.env)}.\n`);
    return EXIT.usage;
  }
  const log: Logger = { trace() {}, debug() {}, info() {}, error() {}, warn: (m) => io.err(`ponder costs: ${m}\n`) };
  // One streaming pass: totals and groups are summed as lines go by, nothing is kept per line
  // (CSV rows are printed as they come), so a ledger of millions of lines reads in seconds.
  const sinceMs = since?.getTime() ?? -Infinity;
  const now = Date.now();
  const d = new Date(now);
  const dayStart = new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const dayEnd = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  const monthStart = new Date(d.getFullYear(), d.getMonth(), 1).getTime();
  const monthEnd = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
  const sum = { all: emptyBucket(), range: emptyBucket(), today: emptyBucket(), month: emptyBucket(), byEndpoint: new Map<string, Bucket>(), byWorkspace: new Map<string, Bucket>() };
  let csv: string[] = [];
  const flushCsv = () => { if (csv.length) { io.out(csv.join('')); csv = []; } };
  if (flags.csv) io.out(CSV_COLUMNS.join(',') + '\r\n');
  try {
    if (fs.existsSync(file)) {
      await scanLedger(file, (e, ms) => {
        if (flags.csv) {
          if (ms >= sinceMs) { csv.push(csvRow(e)); if (csv.length >= 5000) flushCsv(); }
          return;
        }
        addToBucket(sum.all, e);
        if (ms >= dayStart && ms < dayEnd) addToBucket(sum.today, e);
        if (ms >= monthStart && ms < monthEnd) addToBucket(sum.month, e);
        if (ms < sinceMs) return;
        addToBucket(sum.range, e);
        addToBucket(bucketIn(sum.byEndpoint, e.endpoint), e);
        addToBucket(bucketIn(sum.byWorkspace, e.workspace || '(none)'), e);
      }, log);
    }
  } catch (err) {
    io.err(`ponder costs: cannot read the spend ledger ${file}: ${(err as Error).message}\n`);
    return EXIT.failed;
  }
  if (flags.csv) { flushCsv(); return EXIT.ok; }
  io.out(report(sum, file, flags.since, dayKeyOf(now)));
  return EXIT.ok;
};

function bucketIn(m: Map<string, Bucket>, key: string): Bucket {
  let b = m.get(key);
  if (!b) { b = emptyBucket(); m.set(key, b); }
  return b;
}

/** YYYY-MM-DD is local midnight (the user's calendar day); anything else must be an ISO time. */
function parseSince(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) {
    const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return d.getMonth() === Number(m[2]) - 1 ? d : undefined;
  }
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

interface Sums { all: Bucket; range: Bucket; today: Bucket; month: Bucket; byEndpoint: Map<string, Bucket>; byWorkspace: Map<string, Bucket> }

function report(sum: Sums, file: string, sinceText: string | undefined, dayKey: string): string {
  if (sum.all.requests === 0) return `No requests recorded yet (ledger: ${file}).\n`;
  const rows: Array<[string, Bucket]> = [[`Today (${dayKey})`, sum.today], [`This month (${dayKey.slice(0, 7)})`, sum.month]];
  rows.push(sinceText ? [`Since ${sinceText}`, sum.range] : ['All recorded', sum.all]);
  const sorted = (m: Map<string, Bucket>) => [...m].sort((a, b) => b[1].amount - a[1].amount);
  const scope = sinceText ? `since ${sinceText}` : 'all recorded';
  const lines = [`Ponder spend (ledger: ${file})`, '', table(rows), '', `By endpoint, ${scope}:`, table(sorted(sum.byEndpoint), '  '), '', `By workspace, ${scope}:`, table(sorted(sum.byWorkspace), '  ')];
  const unpriced = sum.range.unpriced;
  if (unpriced) lines.push('', `${unpriced} request${unpriced === 1 ? ' has' : 's have'} no price (tokens counted, cost not): add "pricing" to their endpoint profiles.`);
  return lines.join('\n') + '\n';
}

function table(rows: Array<[string, Bucket]>, indent = ''): string {
  if (!rows.length) return `${indent}(none)`;
  const width = Math.max(20, ...rows.map(([l]) => l.length));
  const head = `${indent}${''.padEnd(width)}  ${'requests'.padStart(8)}  ${'tokens'.padStart(13)}  ${'cost'.padStart(13)}`;
  const body = rows.map(([label, b]) => `${indent}${label.padEnd(width)}  ${String(b.requests).padStart(8)}  ${b.tokens.total.toLocaleString('en-US').padStart(13)}  ${(b.requests > 0 && b.unpriced === b.requests ? 'price not set' : formatUsd(b.amount)).padStart(13)}${b.unpriced && b.unpriced < b.requests ? `  (+${b.unpriced} unpriced)` : ''}`);
  return [head, ...body].join('\n');
}
