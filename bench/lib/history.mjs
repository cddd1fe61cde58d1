// Git history for the benchmark checkouts, which have none (each bundle tag is one parentless
// commit). What can be rebuilt honestly: the set of files each sampled commit of the same
// repository changed (a task's `file` plus its `gold`), for the tasks that came before this one
// (ordered by the package.json version of their trees). Each such commit is replayed on the
// task's tree as a commit that touches exactly those files, then one that restores them, so the
// final tree is the task's tree, the working tree is clean, and `git log` shows real co-change
// sets (each twice). Later tasks are never replayed: no leak of the future.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (dir, ...args) => execFileSync('git', ['-C', dir, ...args], { env: gitEnv, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 }).toString();

function versionOf(dir) {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version ?? '0.0.0';
    return v.split(/[.-]/).slice(0, 3).map((x) => Number.parseInt(x, 10) || 0);
  } catch {
    return [0, 0, 0];
  }
}
const cmp = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Orders tasks by their tree's package.json version (checkout(task) gives the tree). */
export function chronological(tasks, checkout) {
  return tasks.map((t) => ({ t, v: versionOf(checkout(t)) })).sort((a, b) => cmp(a.v, b.v)).map((x) => x.t);
}

/** Turns `dir` (a checkout of `task`) into a git repository whose history replays `earlier` tasks' change sets. */
export function withHistory(dir, earlier) {
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', 'tree');
  let n = 0;
  for (const e of earlier) {
    const files = [e.file, ...e.gold].filter((f) => fs.existsSync(path.join(dir, f)));
    if (files.length < 2) continue;
    const saved = files.map((f) => [f, fs.readFileSync(path.join(dir, f))]);
    for (const f of files) fs.appendFileSync(path.join(dir, f), `\n// ${e.id}\n`);
    git(dir, 'add', '--', ...files);
    git(dir, 'commit', '-q', '--no-verify', '-m', e.query.slice(0, 72));
    for (const [f, buf] of saved) fs.writeFileSync(path.join(dir, f), buf);
    git(dir, 'add', '--', ...files);
    git(dir, 'commit', '-q', '--no-verify', '-m', `restore ${e.id}`);
    n++;
  }
  return n;
}
