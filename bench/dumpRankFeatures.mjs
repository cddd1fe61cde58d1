// Writes the ranking's training data for bench/fitRanker.mjs: one JSON line per task of the given
// sets (default dev,dev-more), each candidate's features and whether it is gold.
//   node bench/dumpRankFeatures.mjs [--sets dev,dev-more] [--out /tmp/rank-features]
import esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const benchDir = process.env.PONDER_BENCH_DATA ? path.resolve(process.env.PONDER_BENCH_DATA) : path.join(here, 'context-data');
const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : dflt);
const sets = opt('sets', 'dev,dev-more').split(',');
const out = path.resolve(opt('out', path.join(os.tmpdir(), 'ponder-rank-features')));
fs.mkdirSync(out, { recursive: true });
const bundle = path.join(out, 'rankFeatures.cjs');
await esbuild.build({ entryPoints: [path.join(here, 'lib/rankFeatures.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
const { dumpFeatures } = (await import('node:module')).createRequire(import.meta.url)(bundle);
for (const set of sets) {
  const file = path.join(out, `${set}.jsonl`);
  await dumpFeatures(path.join(benchDir, set, 'tasks.jsonl'), path.join(benchDir, set, 'repos'), path.join(out, 'checkouts'), path.join(out, 'cache'), file);
  console.log(`\n${set}: ${file}`);
}
