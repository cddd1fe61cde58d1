#!/usr/bin/env node
// `npm run bench`: every benchmark in bench/*.mjs (this one excepted), one after another; fails
// when any does. Each also runs alone: `npm run bench:<name>`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
// Cheap ones first; activation starts VS Code.
const order = (name) => (name === 'activation.mjs' ? 1 : 0);
const benches = fs.readdirSync(dir).filter((f) => f.endsWith('.mjs') && f !== 'run-all.mjs').sort((a, b) => order(a) - order(b) || a.localeCompare(b));
const failed = [];
for (const bench of benches) {
  console.log(`\n=== ${path.basename(bench, '.mjs')} ===`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(dir, bench)], { stdio: 'inherit', cwd: path.resolve(dir, '..') });
  console.log(`(${bench}: ${r.status === 0 ? 'ok' : `FAILED, exit ${r.status}`}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) failed.push(bench);
}
console.log(failed.length ? `\n${failed.length} benchmark(s) failed: ${failed.join(', ')}` : `\nall ${benches.length} benchmarks passed`);
process.exit(failed.length ? 1 : 0);
