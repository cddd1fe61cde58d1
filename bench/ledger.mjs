// Spend ledger benchmark. A ledger of LINES requests (default 1,000,000) over two years, written
// as Ponder writes it; then:
//   costs:  `ponder costs --ledger FILE` (the built CLI, a fresh process each run): wall time and
//           peak RSS. Targets: median < 5 s and < 200 MB.
//   budget: the check before each request (preflightBudget with daily and monthly budgets set)
//           on that ledger, after one request was appended (as the previous request would have).
//           Target: median < 20 ms, also on a 1,000-line ledger. The first check on a ledger
//           builds the running summary once; its time is printed too.
//   editor: the extension's spend totals (this month's entries), read fresh: target < 1 s.
// Medians of RUNS (default 5 for costs, 21 for budget). Exit 1 when a target is missed.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const LINES = Number(process.env.LINES ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 5);
const require = createRequire(import.meta.url);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

fs.mkdirSync('node_modules/.cache', { recursive: true });
const out = fs.mkdtempSync(path.resolve('node_modules/.cache/ponder-bench-ledger-'));
const cli = path.join(out, 'cli.js');
await esbuild.build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, logLevel: 'error' });
await esbuild.build({
  stdin: { contents: "export { preflightBudget } from './src/core/cost/preflight'; export { Ledger } from './src/core/cost/ledger';", resolveDir: process.cwd(), loader: 'ts' },
  outfile: path.join(out, 'cost.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error',
});
const { preflightBudget, Ledger } = require(path.join(out, 'cost.cjs'));
// Prints the process's peak RSS when it exits.
const rssHook = path.join(out, 'rss.cjs');
fs.writeFileSync(rssHook, "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeSync(2, `\\nPEAK_RSS_KB ${u.maxRSS} CPU_US ${u.userCPUTime + u.systemCPUTime}\\n`); });\n");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-bench-ledger-'));
fs.chmodSync(dir, 0o700);

function writeLedger(file, lines) {
  const fd = fs.openSync(file, 'w', 0o600);
  const end = Date.now();
  const span = 730 * 24 * 3600_000;
  const endpoints = ['mai-foundry', 'mai-openrouter', 'team-vllm', 'local'];
  const workspaces = ['shop', 'infra', 'web', 'ml', '(none)'];
  let buf = [];
  for (let i = 0; i < lines; i++) {
    const t = new Date(end - span + Math.floor((span * i) / lines)).toISOString();
    const ep = endpoints[i % 4];
    buf.push(JSON.stringify({
      v: 1, id: `req-${i.toString(36)}-${(i * 2654435761 >>> 0).toString(16)}`, time: t, endpoint: ep, model: 'microsoft/mai-thinking-1', provider: 'openrouter',
      tokens: { prompt: 4000 + (i % 997), cached: 1024, cacheWrite: 0, completion: 600 + (i % 101), reasoning: 300 },
      cost: i % 10 === 0 ? null : 0.0012 + (i % 13) / 10000, currency: 'USD', source: i % 10 === 0 ? 'unpriced' : 'provider', status: 'done',
      workspace: workspaces[i % 5], command: 'explain', session: `s-${Math.floor(i / 50)}`, durationMs: 2000 + (i % 3000),
    }) + '\n');
    if (buf.length === 10_000) { fs.writeSync(fd, buf.join('')); buf = []; }
  }
  fs.writeSync(fd, buf.join(''));
  fs.closeSync(fd);
}

let failed = false;
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'MISS'} ${what}`); if (!ok) failed = true; };

async function budgetChecks(file, label) {
  const ledger = new Ledger(file);
  const args = { promptTokens: 5000, maxOutputTokens: 2000, pricing: { inputPerMTok: 1, outputPerMTok: 4 }, ledger, budget: { perRequest: null, daily: 1e9, monthly: 1e9, hardLimit: false } };
  let t0 = performance.now();
  await preflightBudget(args);
  const first = performance.now() - t0;
  const times = [];
  const cpus = [];
  for (let i = 0; i < 21; i++) {
    await ledger.append({ v: 1, id: `bench-${label}-${i}`, time: new Date().toISOString(), endpoint: 'e', model: 'm', tokens: { prompt: 1, cached: 0, cacheWrite: 0, completion: 1, reasoning: 0 }, cost: 0.001, source: 'provider', status: 'done' });
    t0 = performance.now();
    const c0 = process.cpuUsage();
    await preflightBudget(args);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  console.log(`budget check, ${label}: median ${median(times).toFixed(2)} ms wall (min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)}), ${median(cpus).toFixed(2)} ms CPU; first check on the ledger (builds the summary) ${first.toFixed(0)} ms; load average ${os.loadavg()[0].toFixed(1)}`);
  check(median(times) < 20, `budget check on a ${label} ledger < 20 ms`);
}

try {
  const small = path.join(dir, 'small.jsonl');
  writeLedger(small, 1000);
  await budgetChecks(small, '1,000-line');

  const big = path.join(dir, 'ledger.jsonl');
  let t0 = Date.now();
  writeLedger(big, LINES);
  console.log(`wrote ${LINES.toLocaleString('en-US')} lines (${(fs.statSync(big).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const secs = [];
  const rss = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    t0 = performance.now();
    const r = spawnSync(process.execPath, ['-r', rssHook, cli, 'costs', '--ledger', big], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    secs.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`ponder costs exited ${r.status}: ${r.stderr}`);
    rss.push(Number(/PEAK_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024);
    cpu.push(Number(/CPU_US (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1e6);
    if (i === 0) console.log(r.stdout.split('\n').slice(0, 6).join('\n'));
  }
  console.log(`ponder costs over ${LINES.toLocaleString('en-US')} lines: median ${median(secs).toFixed(2)} s wall (runs ${secs.map((s) => s.toFixed(2)).join(', ')}), ${median(cpu).toFixed(2)} s CPU, peak RSS median ${median(rss).toFixed(0)} MB; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
  check(median(secs) < 5, 'ponder costs < 5 s');
  check(median(rss) < 200, 'ponder costs < 200 MB');

  await budgetChecks(big, `${LINES.toLocaleString('en-US')}-line`);

  // The editor's spend totals on activation: this month's entries of the same ledger, a fresh reader each time.
  const d = new Date();
  const monthStart = new Date(d.getFullYear(), d.getMonth(), 1);
  const reads = [];
  let count = 0;
  for (let i = 0; i < RUNS; i++) {
    t0 = performance.now();
    count = (await new Ledger(big).read({ since: monthStart })).length;
    reads.push(performance.now() - t0);
  }
  console.log(`editor spend refresh (this month's ${count.toLocaleString('en-US')} entries of ${LINES.toLocaleString('en-US')}): median ${median(reads).toFixed(0)} ms`);
  check(median(reads) < 1000, 'editor spend refresh < 1 s');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
