import { packContext } from '../../src/core/context/engine';
import { NodeWorkspace } from '../../src/core/context/nodeWorkspace';
import { checkoutTask, readTasks } from './checkout';

/**
 * The retrieval benchmark scored in one process (bench:context --in-process): the same tasks,
 * checkouts and scoring as run.mjs, the engine called directly with a generous time limit, so
 * recall does not depend on how loaded the machine is. Rows in run.mjs's --json shape.
 */
export async function scoreInProcess(tasksFile: string, reposDir: string, work: string, cacheDir: string, budgets: number[], limit?: number): Promise<{ rows: unknown[] }> {
  const tasks = readTasks(tasksFile).slice(0, limit ?? Infinity);
  const rows: unknown[] = [];
  for (const t of tasks) {
    const dir = checkoutTask(work, reposDir, t);
    for (const budget of budgets) {
      const t0 = process.hrtime.bigint();
      const p = await packContext({ query: t.query, activeFile: t.file, selection: t.selection, budget, timeLimitMs: 120_000 }, new NodeWorkspace([dir]), { cacheDir });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const covered = new Map<string, Array<[number, number]>>();
      for (const it of p.items) covered.set(it.path, [...(covered.get(it.path) ?? []), ...(it.ranges ?? [[1, Infinity] as [number, number]])]);
      let fh = 0;
      let lh = 0;
      let lt = 0;
      for (const g of t.gold) {
        const r = covered.get(g);
        if (r) fh++;
        for (const l of t.gold_lines?.[g] ?? []) {
          lt++;
          if (r?.some(([a, b]) => l >= a && l <= b)) lh++;
        }
      }
      const fileRecall = fh / t.gold.length;
      rows.push({ id: t.id, budget, ms, fileRecall, lineRecall: lt ? lh / lt : fileRecall, allHit: fh === t.gold.length, tokens: p.used, overBudget: p.used > budget });
    }
  }
  return { rows };
}
