import fs from 'node:fs';
import path from 'node:path';
import { execSync } from 'node:child_process';
import { packContext } from './src/core/context/engine';
import { NodeWorkspace } from './src/core/context/nodeWorkspace';
const tasks = fs.readFileSync('/work/shared/bench/context/dev/tasks.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const gitDir = '/tmp/hono/.git';
const budgets = (process.env.BUDGETS ?? '8000,32000,128000').split(',').map(Number);
const verbose = !!process.env.V;
(async () => {
  const agg: Record<number, { fr: number; lr: number; all: number; n: number; ms: number[]; hard: number; hn: number }> = {};
  for (const b of budgets) agg[b] = { fr: 0, lr: 0, all: 0, n: 0, ms: [], hard: 0, hn: 0 };
  for (const t of tasks.slice(0, Number(process.env.LIMIT ?? 100))) {
    const dir = path.join('/tmp/ctxeval', t.commit.slice(0, 12));
    if (!fs.existsSync(dir)) { fs.mkdirSync(dir, { recursive: true }); execSync(`git --git-dir ${gitDir} archive ${t.commit} | tar -x -C ${dir}`); }
    for (const b of budgets) {
      const t0 = Date.now();
      const r = await packContext({ query: t.query, activeFile: path.join(dir, t.file), selection: t.selection, budget: b }, new NodeWorkspace([dir]), { git: false });
      const ms = Date.now() - t0;
      const cov = new Map<string, Array<[number, number]>>();
      for (const it of r.items) cov.set(it.path, [...(cov.get(it.path) ?? []), ...(it.ranges ?? [[1, 1e9]])] as Array<[number, number]>);
      let fh = 0, lh = 0, lt = 0;
      for (const g of t.gold) { const rr = cov.get(g); if (rr) fh++; for (const l of t.gold_lines?.[g] ?? []) { lt++; if (rr?.some(([s, e]) => l >= s && l <= e)) lh++; } }
      const a = agg[b]; a.n++; a.fr += fh / t.gold.length; a.lr += lt ? lh / lt : fh / t.gold.length; a.all += fh === t.gold.length ? 1 : 0; a.ms.push(ms);
      const hard = t.gold.some((g: string) => !/(\.|\/)(test|spec)s?(\.|\/)|__tests__/.test(g)); if (hard) { a.hn++; a.hard += fh / t.gold.length; }
      if (verbose && fh < t.gold.length && b === Number(process.env.VB ?? 8000)) {
        console.log(`MISS ${b} ${t.id} file=${t.file} q=${t.query.slice(0, 70)}`);
        for (const g of t.gold) if (!cov.get(g)) { const rank = r.items.findIndex((i) => i.path === g); console.log(`   missing ${g} ${rank}`); }
        console.log('   got: ' + r.items.slice(0, 8).map((i) => `${i.path}(${i.tokens})`).join(' '));
      }
    }
  }
  for (const b of budgets) { const a = agg[b]; a.ms.sort((x, y) => x - y); console.log(`${b}\tfile ${(a.fr / a.n).toFixed(3)}\tline ${(a.lr / a.n).toFixed(3)}\tall ${(a.all / a.n).toFixed(3)}\thard ${(a.hard / a.hn).toFixed(3)}\tp50 ${a.ms[Math.floor(a.n / 2)]}ms`); }
})();
