#!/usr/bin/env node
// `npm run bench:size`: builds with --production and prints the bundle sizes; fails when a
// bundle is over its limit (dist/extension.js 1.5 MB, dist/webview.js 200 KB), and then names
// the packages that take the most room in it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIMITS = { 'dist/extension.js': 1.5 * 1024 * 1024, 'dist/webview.js': 200 * 1024 };
/** Entry points of the limited bundles, for the breakdown (as in esbuild.mjs). */
const ENTRIES = {
  'dist/extension.js': { entryPoints: ['src/vscode/extension.ts'], platform: 'node', format: 'cjs', external: ['vscode'] },
  'dist/webview.js': { entryPoints: ['src/webview/main.ts'], platform: 'browser', format: 'iife', jsx: 'automatic', jsxImportSource: 'preact', loader: { '.ttf': 'file' } },
};

execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const dist = path.join(repoRoot, 'dist');
const files = fs.readdirSync(dist).filter((f) => /\.(js|css)$/.test(f)).map((f) => `dist/${f}`).sort();
const over = [];
for (const rel of Object.keys(LIMITS)) if (!files.includes(rel)) over.push(rel);
for (const rel of files) {
  const bytes = fs.statSync(path.join(repoRoot, rel)).size;
  const gz = zlib.gzipSync(fs.readFileSync(path.join(repoRoot, rel))).length;
  const limit = LIMITS[rel];
  const verdict = limit === undefined ? '' : bytes <= limit ? `ok (limit ${kb(limit)})` : `OVER the ${kb(limit)} limit`;
  if (limit !== undefined && bytes > limit) over.push(rel);
  console.log(`${rel.padEnd(24)} ${kb(bytes).padStart(10)}  gzip ${kb(gz).padStart(9)}  ${verdict}`);
}

for (const rel of over) {
  if (!ENTRIES[rel]) continue;
  const r = await esbuild.build({ ...ENTRIES[rel], absWorkingDir: repoRoot, bundle: true, minify: true, write: false, metafile: true, outdir: '/tmp/ponder-size', logLevel: 'silent' });
  const inputs = Object.values(r.metafile.outputs).find((o) => o.entryPoint)?.inputs ?? {};
  const byPackage = {};
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const key = m ? m[1] : path.dirname(file);
    byPackage[key] = (byPackage[key] ?? 0) + bytesInOutput;
  }
  const largestFile = Object.entries(inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)[0];
  console.log(`\n${rel} is over its limit; the most room goes to:`);
  for (const [name, bytes] of Object.entries(byPackage).sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`  ${kb(bytes).padStart(10)}  ${name}`);
  if (largestFile) console.log(`  largest single file: ${largestFile[0]} (${kb(largestFile[1].bytesInOutput)})`);
}
if (over.length) console.error(`\nbench:size failed: ${over.join(', ')} missing or over the limit`);
process.exit(over.length ? 1 : 0);
