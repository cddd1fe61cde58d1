// Per-repository tables for the context benchmark: the engine's rows (run.mjs --json) beside
// BM25's on the same tasks, and the targets checked.
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
};

/** Figures per repository and budget (plus 'all'), from run.mjs rows and the tasks (id -> repo). */
export function summarize(rows, tasks, budgets) {
  const repoOf = new Map(tasks.map((t) => [t.id, t.repo]));
  const repos = [...new Set(tasks.map((t) => t.repo))];
  const out = {};
  for (const repo of [...repos, 'all']) {
    out[repo] = {};
    for (const b of budgets) {
      const rs = rows.filter((r) => r.budget === b && (repo === 'all' || repoOf.get(r.id) === repo));
      const ok = rs.filter((r) => !r.error);
      out[repo][b] = {
        fileRecall: mean(ok.map((r) => r.fileRecall)),
        lineRecall: mean(ok.map((r) => r.lineRecall)),
        errors: rs.length - ok.length,
        overBudget: ok.filter((r) => r.overBudget).length,
        p50: pct(rs.map((r) => r.ms), 0.5),
        p95: pct(rs.map((r) => r.ms), 0.95),
      };
    }
  }
  return out;
}

/** Prints the table and returns the targets that failed (strings). */
export function report(name, engine, bm25, budgets, targets) {
  const failed = [];
  const k = (b) => `${Math.round(b / 1000)}K`;
  console.log(`\n${name}: file recall / line recall (BM25 beside), items over budget, p50 / p95 ms per call (process start included)`);
  console.log(`${'repository'.padEnd(24)} ${budgets.map((b) => `${k(b)}: ponder (bm25)`.padEnd(34)).join('')}over  p50/p95 ms by budget`);
  for (const repo of Object.keys(engine)) {
    const cells = budgets.map((b) => {
      const e = engine[repo][b];
      const m = bm25?.[repo]?.[b];
      return `${e.fileRecall.toFixed(3)}/${e.lineRecall.toFixed(3)} (${m ? `${m.fileRecall.toFixed(3)}/${m.lineRecall.toFixed(3)}` : '-'})`.padEnd(34);
    });
    const over = budgets.reduce((n, b) => n + engine[repo][b].overBudget, 0);
    const lat = budgets.map((b) => `${engine[repo][b].p50.toFixed(0)}/${engine[repo][b].p95.toFixed(0)}`).join(' ');
    console.log(`${(repo === 'all' ? `(all ${name})` : repo).padEnd(24)} ${cells.join('')}${String(over).padEnd(6)}${lat}`);
    for (const b of budgets) {
      const e = engine[repo][b];
      const m = bm25?.[repo]?.[b];
      if (e.errors) failed.push(`${name} ${repo} ${k(b)}: ${e.errors} call(s) failed`);
      if (e.overBudget) failed.push(`${name} ${repo} ${k(b)}: ${e.overBudget} item set(s) over budget`);
      if (m && repo !== 'all' && e.fileRecall < m.fileRecall - 1e-9) failed.push(`${name} ${repo} ${k(b)}: file recall ${e.fileRecall.toFixed(3)} below BM25 ${m.fileRecall.toFixed(3)}`);
      if (m && repo !== 'all' && e.lineRecall < m.lineRecall - 1e-9) failed.push(`${name} ${repo} ${k(b)}: line recall ${e.lineRecall.toFixed(3)} below BM25 ${m.lineRecall.toFixed(3)}`);
    }
  }
  for (const [b, t] of Object.entries(targets ?? {})) {
    const e = engine.all[b];
    if (t.file !== undefined && e.fileRecall < t.file) failed.push(`${name} ${k(Number(b))}: file recall ${e.fileRecall.toFixed(3)} < target ${t.file}`);
    if (t.line !== undefined && e.lineRecall < t.line) failed.push(`${name} ${k(Number(b))}: line recall ${e.lineRecall.toFixed(3)} < target ${t.line}`);
  }
  return failed;
}
