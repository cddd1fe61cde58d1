// Fits the ranking's weights (src/core/context/rank.ts) from bench/dumpRankFeatures.mjs's data,
// and scores them leave-one-repository-out against today's order: for each repository, a model
// fit on the others ranks its tasks, and recall@k (the share of a task's gold files among its
// first k candidates, averaged over tasks) is printed beside the order the engine produced.
//   node bench/fitRanker.mjs [--in /tmp/ponder-rank-features] [--l2 1] [--softmax]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : dflt);
const dir = path.resolve(opt('in', path.join(os.tmpdir(), 'ponder-rank-features')));
const l2 = Number(opt('l2', '1'));
const drop = new Set(opt('drop', '').split(',').filter(Boolean));
const tasks = [];
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
  for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean)) tasks.push(JSON.parse(line));
}
const names = tasks[0].features;
const keep = names.map((n, i) => (drop.has(n) ? -1 : i)).filter((i) => i >= 0);
const cross = opt('cross', '').split(',').filter(Boolean).map((p) => p.split('*').map((n) => names.indexOf(n)));
for (const t of tasks) for (const c of t.cands) c.v = [...keep.map((i) => c.x[i]), ...cross.map(([a, b]) => c.x[a] * c.x[b])];
const D = keep.length + cross.length;
const repos = [...new Set(tasks.map((t) => t.repo))];
const KS = [10, 25, 50, 100];

/** Logistic regression by Newton's method with an L2 penalty (not on the bias), tasks weighted equally. */
function fitLogistic(train) {
  let w = new Array(D).fill(0);
  for (let it = 0; it < 30; it++) {
    const g = new Array(D).fill(0);
    const H = Array.from({ length: D }, () => new Array(D).fill(0));
    for (const t of train) {
      const tw = 1 / Math.max(1, t.nGold);
      for (const c of t.cands) {
        let z = 0;
        for (let j = 0; j < D; j++) z += w[j] * c.v[j];
        const p = 1 / (1 + Math.exp(-z));
        const r = (p - c.y) * tw;
        const s = p * (1 - p) * tw;
        for (let j = 0; j < D; j++) {
          g[j] += r * c.v[j];
          const sj = s * c.v[j];
          if (sj !== 0) for (let k = j; k < D; k++) H[j][k] += sj * c.v[k];
        }
      }
    }
    for (let j = 0; j < D; j++) for (let k = 0; k < j; k++) H[j][k] = H[k][j];
    for (let j = 1; j < D; j++) {
      g[j] += l2 * w[j];
      H[j][j] += l2;
    }
    H[0][0] += 1e-6;
    const step = solve(H, g);
    let delta = 0;
    for (let j = 0; j < D; j++) {
      w[j] -= step[j];
      delta = Math.max(delta, Math.abs(step[j]));
    }
    if (delta < 1e-6) break;
  }
  return w;
}

function solve(A, b) {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let i = 0; i < n; i++) {
    let p = i;
    for (let r = i + 1; r < n; r++) if (Math.abs(M[r][i]) > Math.abs(M[p][i])) p = r;
    [M[i], M[p]] = [M[p], M[i]];
    const d = M[i][i] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === i) continue;
      const f = M[r][i] / d;
      if (f !== 0) for (let c = i; c <= n; c++) M[r][c] -= f * M[i][c];
    }
  }
  return M.map((row, i) => row[n] / (row[i] || 1e-12));
}

/** Listwise: per task, the softmax over its candidates; loss -log of the gold files' share. Adam from the logistic fit. */
function fitSoftmax(train, w0) {
  const w = [...w0];
  const m = new Array(D).fill(0);
  const v = new Array(D).fill(0);
  const lr = 0.02;
  for (let it = 1; it <= 300; it++) {
    const g = new Array(D).fill(0);
    for (const t of train) {
      const golds = t.cands.filter((c) => c.y);
      if (!golds.length) continue;
      const z = t.cands.map((c) => c.v.reduce((s, x, j) => s + x * w[j], 0));
      const mx = Math.max(...z);
      const e = z.map((x) => Math.exp(x - mx));
      const Z = e.reduce((a, b) => a + b, 0);
      const tw = 1 / golds.length;
      t.cands.forEach((c, i) => {
        const p = e[i] / Z;
        const r = tw * (golds.length * p - c.y);
        if (r !== 0) for (let j = 0; j < D; j++) g[j] += r * c.v[j];
      });
    }
    for (let j = 1; j < D; j++) g[j] += l2 * w[j];
    for (let j = 0; j < D; j++) {
      m[j] = 0.9 * m[j] + 0.1 * g[j];
      v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
      w[j] -= (lr * (m[j] / (1 - 0.9 ** it))) / (Math.sqrt(v[j] / (1 - 0.999 ** it)) + 1e-8);
    }
  }
  return w;
}

function recall(ts, order) {
  const out = KS.map(() => 0);
  for (const t of ts) {
    const ranked = order(t);
    KS.forEach((k, i) => {
      out[i] += ranked.slice(0, k).filter((c) => c.y).length / t.nGold;
    });
  }
  return out.map((x) => x / ts.length);
}
const byModel = (w) => (t) => [...t.cands].sort((a, b) => dot(w, b.v) - dot(w, a.v) || a.rank - b.rank);
const today = (t) => [...t.cands].sort((a, b) => a.rank - b.rank);
const dot = (w, v) => v.reduce((s, x, j) => s + x * w[j], 0);
const fmt = (r) => r.map((x) => x.toFixed(3)).join(' ');

const softmax = argv.includes('--softmax');
console.log(`leave-one-repository-out recall@${KS.join('/')}  (l2 ${l2}${softmax ? ', softmax' : ''}${drop.size ? `, without ${[...drop]}` : ''})`);
const sums = { today: KS.map(() => 0), model: KS.map(() => 0) };
for (const held of repos) {
  const train = tasks.filter((t) => t.repo !== held);
  const test = tasks.filter((t) => t.repo === held);
  let w = fitLogistic(train);
  if (softmax) w = fitSoftmax(train, w);
  const a = recall(test, today);
  const b = recall(test, byModel(w));
  console.log(`${held.padEnd(24)} today ${fmt(a)}   model ${fmt(b)}`);
  if (held !== 'honojs+hono') KS.forEach((_, i) => ((sums.today[i] += a[i] / (repos.length - 1)), (sums.model[i] += b[i] / (repos.length - 1))));
}
console.log(`${'dev-more (mean of repos)'.padEnd(24)} today ${fmt(sums.today)}   model ${fmt(sums.model)}`);
let w = fitLogistic(tasks);
if (softmax) w = fitSoftmax(tasks, w);
console.log('\nweights fit on all repositories:');
console.log(keep.map((i, j) => `  ${names[i]}: ${w[j].toFixed(3)},`).join('\n'));
