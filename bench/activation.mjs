#!/usr/bin/env node
// `npm run bench:activation [-- --loads N]`: time from Ponder's activate() start to its return,
// measured by the extension itself (exports.activationMs) in the real extension host of
// code-server, over N window loads (each a fresh extension host), production build. Target: the
// median under 50 ms.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TARGET_MS = 50;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: { loads: { type: 'string', default: '7' } } });

const child = spawn(
  process.execPath,
  ['test/integration/run.mjs', '--suites-root', 'bench/suites', '--production', '--repeat', opts.loads, 'activation'],
  { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
);
let out = '';
child.stdout.on('data', (d) => (out += d));
const code = await new Promise((r) => child.on('exit', r));
const samples = [...out.matchAll(/PONDER_ACTIVATION_MS=([\d.]+)/g)].map((m) => Number(m[1]));
if (code !== 0 || samples.length === 0) {
  console.error(out);
  console.error(`activation benchmark failed: the runner exited ${code} with ${samples.length} samples`);
  process.exit(1);
}
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median, text: `median ${median.toFixed(1)} ms (min ${s[0].toFixed(1)}, max ${s.at(-1).toFixed(1)}; ${xs.map((x) => x.toFixed(1)).join(', ')})` };
};
const { median, text } = stats(samples);
console.log(`activate() start to return, production build, ${samples.length} fresh extension hosts: ${text}; target < ${TARGET_MS} ms`);
const loads = [...out.matchAll(/PONDER_LOAD_MS=([\d.]+)/g)].map((m) => Number(m[1]));
if (loads.length) console.log(`loading dist/extension.js (before activate(), not in the target): ${stats(loads).text}`);
if (median >= TARGET_MS) {
  console.error(`activation median ${median.toFixed(1)} ms is over the ${TARGET_MS} ms target`);
  process.exit(1);
}
