import fs from 'node:fs';
import path from 'node:path';
import { NodeWorkspace } from '../../src/core/context/nodeWorkspace';
import { WorkspaceIndex } from '../../src/core/context/workspaceIndex';
import { gather } from '../../src/core/context/gather';
import { FEATURES, features } from '../../src/core/context/rank';
import { checkoutTask, readTasks } from './checkout';

/**
 * Dumps the ranking's training data (bench/fitRanker.mjs reads it): for each task of a set, the
 * engine's index and gather run in this process, and each candidate's features (rank.ts) are
 * written with whether it is a gold file and its rank in today's order. One JSON line per task.
 */
export async function dumpFeatures(tasksFile: string, reposDir: string, work: string, cacheDir: string, out: string): Promise<void> {
  const tasks = readTasks(tasksFile);
  const lines: string[] = [];
  for (const t of tasks) {
    const dir = checkoutTask(work, reposDir, t);
    const index = new WorkspaceIndex(new NodeWorkspace([dir]), { cacheDir });
    await index.refresh(Date.now() + 120_000, undefined, path.join(dir, t.file));
    const hit = index.locate(path.join(dir, t.file));
    const active = hit ? index.files.get(hit.key) : undefined;
    const t0 = process.hrtime.bigint();
    const g = await gather({ index, query: t.query, active, selection: t.selection, open: [], diagnostics: [], git: false, deadline: Date.now() + 60_000 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const gold = new Set(t.gold);
    const cands = g.ranked.map((c, rank) => ({ rel: c.file.rel, y: gold.has(c.file.rel) ? 1 : 0, rank, x: features(c, g.rankInfo).map((v) => +v.toFixed(4)) }));
    lines.push(JSON.stringify({ id: t.id, repo: t.repo, nGold: t.gold.length, ms, features: FEATURES, cands }));
    process.stderr.write('.');
  }
  fs.writeFileSync(out, lines.join('\n') + '\n');
}
