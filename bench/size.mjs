#!/usr/bin/env node
// `npm run bench:size`: builds with --production and prints the bundle sizes; fails when a
// bundle is over its limit (dist/extension.js 1.5 MB, dist/webview.js 200 KB).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LIMITS = { 'dist/extension.js': 1.5 * 1024 * 1024, 'dist/webview.js': 200 * 1024, 'dist/cli.js': undefined };

execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let over = 0;
const files = [...Object.keys(LIMITS), ...fs.readdirSync(path.join(repoRoot, 'dist')).filter((f) => f.endsWith('.css')).map((f) => `dist/${f}`)];
for (const rel of files) {
  const file = path.join(repoRoot, rel);
  if (!fs.existsSync(file)) {
    console.log(`${rel.padEnd(22)} missing`);
    over++;
    continue;
  }
  const bytes = fs.statSync(file).size;
  const gz = zlib.gzipSync(fs.readFileSync(file)).length;
  const limit = LIMITS[rel];
  const verdict = limit === undefined ? '' : bytes <= limit ? `ok (limit ${kb(limit)})` : `OVER the ${kb(limit)} limit`;
  if (limit !== undefined && bytes > limit) over++;
  console.log(`${rel.padEnd(22)} ${kb(bytes).padStart(10)}  gzip ${kb(gz).padStart(9)}  ${verdict}`);
}
process.exit(over ? 1 : 0);
