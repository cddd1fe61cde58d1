#!/usr/bin/env node
// Context benchmark: builds the CLI, runs the shared retrieval benchmark against
// `node dist/cli.js context`, then reports the token-counting speed.
//   npm run bench:context [-- --limit N --budgets 8000,32000 --json out.json]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const shared = process.env.PONDER_SHARED ?? path.resolve(repo, '../shared');
const runMjs = path.join(shared, 'bench/context/run.mjs');
if (!fs.existsSync(runMjs)) {
  console.error(`bench:context: ${runMjs} not found (set PONDER_SHARED to the shared folder)`);
  process.exit(2);
}
try {
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repo, stdio: 'pipe' }); // what ships
} catch (err) {
  console.error(`bench:context: the build failed\n${err.stderr ?? err.message}`);
  process.exit(1);
}

const extra = process.argv.slice(2);
const args = [runMjs, '--tasks', path.join(shared, 'bench/context/dev/tasks.jsonl'), '--repos', path.join(shared, 'bench/context/dev/repos'), '--cmd', `${process.execPath} ${path.join(repo, 'dist/cli.js')} context`, ...extra];
console.log(`$ node ${args.map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`);
const r = spawnSync(process.execPath, args, { cwd: repo, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const tokensBundle = path.join(os.tmpdir(), `ponder-bench-tokens-${process.pid}.cjs`);
await esbuild.build({ entryPoints: [path.join(repo, 'src/core/context/tokens.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: tokensBundle, logLevel: 'error' });
// Token counting speed over this repository's own sources (cold: tables loaded, no piece cache; warm: pieces cached).
const probe = spawnSync(process.execPath, ['--input-type=module', '-e', `
  import fs from 'node:fs';
  import path from 'node:path';
  const { measureCountingSpeed } = await import(${JSON.stringify(tokensBundle)});
  const files = [];
  const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else if (/\\.(ts|js|md)$/.test(e.name)) files.push(p); } };
  walk(${JSON.stringify(path.join(repo, 'src'))});
  walk(${JSON.stringify(path.join(repo, 'node_modules/zod/v4'))});
  const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\\n').slice(0, 4_000_000);
  console.log(JSON.stringify(measureCountingSpeed(text)));
`], { cwd: repo, encoding: 'utf8' });
if (probe.status === 0) {
  const m = JSON.parse(probe.stdout.trim().split('\n').pop());
  console.log(`\ntoken counting (o200k_base, exact): ${m.tokens} tokens; tables load ${m.tableLoadMs} ms; cold ${(m.coldTokensPerSecond / 1e6).toFixed(2)} M tokens/s; warm piece cache ${(m.warmTokensPerSecond / 1e6).toFixed(2)} M tokens/s`);
} else console.error(probe.stderr);
fs.rmSync(tokensBundle, { force: true });

// The extension's warm path: an index kept warm by change events; a repeat request, and one
// after an unsaved edit of the active file (target: under 100 ms). On the first task's checkout.
const task = JSON.parse(fs.readFileSync(path.join(shared, 'bench/context/dev/tasks.jsonl'), 'utf8').split('\n')[0]);
const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-bench-warm-'));
const warmBundle = path.join(os.tmpdir(), `ponder-bench-warm-${process.pid}.cjs`);
try {
  const gitDir = path.join(checkout, '.bundle-git');
  execFileSync('git', ['clone', '--quiet', '--bare', path.join(shared, 'bench/context/dev/repos', task.repo + '.bundle'), gitDir]);
  execFileSync('sh', ['-c', `git --git-dir "${gitDir}" archive ${task.commit} | tar -x -C "${checkout}/" && rm -rf "${gitDir}"`]);
  await esbuild.build({ entryPoints: [path.join(here, 'lib/warmRepeat.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: warmBundle, logLevel: 'error' });
  const warm = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(warmBundle)}).warmRepeat(${JSON.stringify(checkout)}, ${JSON.stringify(task)}, [8000, 32000, 128000], 9).then((r) => console.log(JSON.stringify(r)))`], { encoding: 'utf8' });
  if (warm.status !== 0) throw new Error(warm.stderr);
  const w = JSON.parse(warm.stdout.trim().split('\n').pop());
  console.log(`\nwarm index (as in the extension), ${task.repo} at ${task.commit.slice(0, 10)}, median of 9:`);
  for (const [b, r] of Object.entries(w)) console.log(`  budget ${b}: first request ${r.first.toFixed(0)} ms, repeat ${r.repeat.toFixed(1)} ms, after an unsaved edit of the active file ${r.afterEdit.toFixed(1)} ms`);
} catch (err) {
  console.error(`warm-index measurement failed: ${err.message}`);
} finally {
  fs.rmSync(checkout, { recursive: true, force: true });
  fs.rmSync(warmBundle, { force: true });
}
