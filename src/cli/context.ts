import path from 'node:path';
import fs from 'node:fs';
import v8 from 'node:v8';
import { EXIT, parseFlags, UsageError, type CliCommand } from './command';
import { packContext } from '../core/context/engine';
import { NodeWorkspace } from '../core/context/nodeWorkspace';
import { formatRanges } from '../core/context/render';
import { selectionFromFlags } from './selectionFlag';

/**
 * `ponder context --root DIR --query TEXT [--file PATH --selection START:END] --budget N --json`
 * (README, "Command line"). JSON: {"budget","used","items":[{"path","ranges"?,"tokens","reason"}]}, paths
 * relative to --root. Without --json: a table of what was packed and why.
 */
const USAGE = `Usage: ponder context --root DIR --query TEXT [--file PATH [--selection START:END]] [--budget N] [--json | --text]

  --root DIR         the workspace to pack from (default: the current directory)
  --query TEXT       the question or task the context is for (required)
  --file PATH        the active file, relative to DIR: it is packed first
  --selection S:E    its 1-based lines, inclusive (e.g. 20:24); lines outside the file are a usage error
  --budget N         tokens to pack, counted with o200k_base (default 32000)
  --json             print {"budget","used","items":[{"path","ranges","tokens","reason"}]} on one line
  --text             print the packed text exactly as the model would get it
  --exclude GLOB     leave out files matching GLOB (gitignore syntax; repeatable)
  --time-limit MS    stop gathering candidates after MS milliseconds (default 3000; the result says partial)
  --no-map           no repository map
  --no-git           do not run git (no diff or co-change signals)

Without --json or --text: a table of each item, its tokens and why it was chosen.
Exit codes: 0 done, 2 bad usage.`;

export const contextCommand: CliCommand = async (argv, io) => {
  let flags;
  try {
    flags = parseFlags(argv, {
      root: { type: 'string' },
      query: { type: 'string' },
      file: { type: 'string' },
      selection: { type: 'string' },
      budget: { type: 'string' },
      json: { type: 'boolean' },
      exclude: { type: 'string', multiple: true },
      'time-limit': { type: 'string' },
      'no-map': { type: 'boolean' },
      'no-git': { type: 'boolean' },
      text: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    }, false, 'context').values;
  } catch (err) {
    io.err(`ponder context: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  if (flags.help) {
    io.out(USAGE + '\n');
    return EXIT.ok;
  }
  const usage = (msg: string) => {
    io.err(`ponder context: ${msg}; see "ponder context --help"\n`);
    return EXIT.usage;
  };
  const root = path.resolve(io.cwd, flags.root ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return usage(`--root ${root} is not a directory`);
  if (flags.query === undefined) return usage('--query is required');
  const budget = Number(flags.budget ?? '32000');
  if (!Number.isInteger(budget) || budget < 0) return usage(`--budget must be a non-negative integer, got "${flags.budget}"`);
  let activeFile: string | undefined;
  let selection: [number, number] | undefined;
  try {
    ({ activeFile, selection } = selectionFromFlags(root, flags.file, flags.selection));
  } catch (err) {
    if (err instanceof UsageError) return usage(err.message);
    throw err;
  }
  const timeLimitMs = flags['time-limit'] ? Number(flags['time-limit']) : 3000;

  // A repeat call (the on-disk snapshot present) runs each part of the engine about once: V8's
  // optimizing compiler would spend more CPU compiling it than the compiled code saves (a third
  // of such a call on a 3,000-file repository). It is let back in when the call turns out heavy
  // (a first listing, many files to read), where hot loops need it.
  v8.setFlagsFromString('--no-opt');
  const port = new NodeWorkspace([root]);
  const packed = await packContext({ query: flags.query, activeFile, selection, budget, exclude: flags.exclude, timeLimitMs, repoMap: !flags['no-map'] }, port, { git: !flags['no-git'], onHeavyWork: () => v8.setFlagsFromString('--opt') });

  if (flags.json) {
    const items = packed.items.map((i) => ({ path: i.path, ...(i.ranges ? { ranges: i.ranges } : {}), tokens: i.tokens, reason: i.reason }));
    // Exactly the contract's keys; what was withheld, and a partial result, are said on stderr.
    io.out(JSON.stringify({ budget: packed.budget, used: packed.used, items }) + '\n');
    if (packed.partial) io.err('ponder context: partial result (time limit or file cap reached)\n');
    return EXIT.ok;
  }
  if (flags.text) {
    io.out(packed.items.map((i) => i.text).join(''));
    return EXIT.ok;
  }
  const rows = packed.items.map((i) => [String(i.tokens), i.ranges ? `${i.path}:${formatRanges(i.ranges)}` : i.path, i.reason]);
  const w0 = Math.max(6, ...rows.map((r) => r[0].length));
  const w1 = Math.min(70, Math.max(4, ...rows.map((r) => r[1].length)));
  io.out(`${'tokens'.padStart(w0)}  ${'path'.padEnd(w1)}  reason\n`);
  for (const r of rows) io.out(`${r[0].padStart(w0)}  ${r[1].padEnd(w1)}  ${r[2]}\n`);
  io.out(`\n${packed.used} of ${packed.budget} tokens in ${packed.items.length} items, ${packed.ms} ms${packed.partial ? ' (partial: time limit or file cap reached)' : ''}\n`);
  for (const w of packed.withheld) io.out(`withheld ${w.path}: ${w.reason}\n`);
  return EXIT.ok;
};
