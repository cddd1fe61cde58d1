import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A retrieval task as the bench's tasks.jsonl holds it (../shared/bench/context/README.md). */
export interface BenchTask {
  id: string;
  repo: string;
  commit: string;
  file: string;
  selection: [number, number];
  query: string;
  gold: string[];
  gold_lines?: Record<string, number[]>;
}

export function readTasks(tasksFile: string): BenchTask[] {
  return fs.readFileSync(tasksFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as BenchTask);
}

/**
 * The task's tree at its commit, under `work` (made once from the repository's bundle in
 * `reposDir`, as run.mjs does: no history, no .git).
 */
export function checkoutTask(work: string, reposDir: string, t: BenchTask): string {
  const dir = path.join(work, t.repo, t.commit.slice(0, 12));
  if (!fs.existsSync(dir)) {
    const gitDir = path.join(work, '_git', t.repo);
    if (!fs.existsSync(gitDir)) execFileSync('git', ['clone', '--quiet', '--bare', path.join(reposDir, `${t.repo}.bundle`), gitDir]);
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git --git-dir "${gitDir}" archive ${t.commit} | tar -x -C "${dir}"`]);
  }
  return dir;
}
