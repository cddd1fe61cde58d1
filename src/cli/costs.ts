import * as fs from 'node:fs';
import { EXIT, parseFlags, type CliCommand } from './main';
import { Ledger, defaultLedgerPath, totals, bucketOf, toCsv, formatUsd, type Bucket, type LedgerEntry } from '../core/cost';
import type { Logger } from '../core/log';

/**
 * `ponder costs [--since DATE] [--csv] [--ledger FILE]`: the ledger's totals (today, this month,
 * since DATE, per endpoint and workspace), or its rows as CSV. The CLI's ledger is
 * `defaultLedgerPath()`; the extension's lives in its global storage: pass `--ledger` to read it.
 */
export const costsCommand: CliCommand = async (argv, io) => {
  let flags;
  try {
    flags = parseFlags(argv, { since: { type: 'string' }, csv: { type: 'boolean' }, ledger: { type: 'string' }, help: { type: 'boolean', short: 'h' } }).values;
  } catch (err) {
    io.err(`ponder costs: ${(err as Error).message}\nUsage: ponder costs [--since DATE] [--csv] [--ledger FILE]\n`);
    return EXIT.usage;
  }
  if (flags.help) {
    io.out('Usage: ponder costs [--since DATE] [--csv] [--ledger FILE]\n  DATE: YYYY-MM-DD (local midnight) or an ISO time.\n  FILE: default $PONDER_LEDGER or ~/.config/ponder/ledger.jsonl.\n');
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
    io.err(`ponder costs: no ledger at ${file} (--ledger). The extension's ledger is ledger.jsonl in its global storage folder.\n`);
    return EXIT.usage;
  }
  const log: Logger = { trace() {}, debug() {}, info() {}, error() {}, warn: (m) => io.err(`ponder costs: ${m}\n`) };
  let all: LedgerEntry[];
  try {
    all = await new Ledger(file, log).read();
  } catch (err) {
    io.err(`ponder costs: ${(err as Error).message}\n`);
    return EXIT.failed;
  }
  const range = since ? all.filter((e) => Date.parse(e.time) >= since.getTime()) : all;
  if (flags.csv) {
    io.out(toCsv(range));
    return EXIT.ok;
  }
  io.out(report(all, range, file, flags.since));
  return EXIT.ok;
};

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

function report(all: LedgerEntry[], range: LedgerEntry[], file: string, sinceText: string | undefined): string {
  if (all.length === 0) return `No requests recorded yet (ledger: ${file}).\n`;
  const t = totals(all, { now: Date.now() });
  const rows: Array<[string, Bucket]> = [[`Today (${t.dayKey})`, t.today], [`This month (${t.monthKey})`, t.month]];
  rows.push(sinceText ? [`Since ${sinceText}`, bucketOf(range)] : ['All recorded', bucketOf(all)]);
  const byEndpoint = group(range, (e) => e.endpoint);
  const byWorkspace = group(range, (e) => e.workspace || '(none)');
  const scope = sinceText ? `since ${sinceText}` : 'all recorded';
  const lines = [`Ponder spend (ledger: ${file})`, '', table(rows), '', `By endpoint, ${scope}:`, table(byEndpoint, '  '), '', `By workspace, ${scope}:`, table(byWorkspace, '  ')];
  const unpriced = bucketOf(range).unpriced;
  if (unpriced) lines.push('', `${unpriced} request${unpriced === 1 ? ' has' : 's have'} no price (tokens counted, cost not): add "pricing" to their endpoint profiles.`);
  return lines.join('\n') + '\n';
}

function group(entries: LedgerEntry[], key: (e: LedgerEntry) => string): Array<[string, Bucket]> {
  const m = new Map<string, LedgerEntry[]>();
  for (const e of entries) m.set(key(e), [...(m.get(key(e)) ?? []), e]);
  return [...m].map(([k, es]) => [k, bucketOf(es)] as [string, Bucket]).sort((a, b) => b[1].amount - a[1].amount);
}

function table(rows: Array<[string, Bucket]>, indent = ''): string {
  if (!rows.length) return `${indent}(none)`;
  const width = Math.max(20, ...rows.map(([l]) => l.length));
  const head = `${indent}${''.padEnd(width)}  ${'requests'.padStart(8)}  ${'tokens'.padStart(13)}  ${'cost'.padStart(13)}`;
  const body = rows.map(([label, b]) => `${indent}${label.padEnd(width)}  ${String(b.requests).padStart(8)}  ${b.tokens.total.toLocaleString('en-US').padStart(13)}  ${(b.requests > 0 && b.unpriced === b.requests ? 'price not set' : formatUsd(b.amount)).padStart(13)}${b.unpriced && b.unpriced < b.requests ? `  (+${b.unpriced} unpriced)` : ''}`);
  return [head, ...body].join('\n');
}
