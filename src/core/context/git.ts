import fs from 'node:fs';
import path from 'node:path';
import { runGit } from '../safeGit';

/**
 * Git signals through the `git` binary (safeGit: the repository's program-running config off),
 * each call under a time limit; no git, no repository or a slow repository simply yields nothing.
 */
async function git(cwd: string, args: string[], timeoutMs: number): Promise<string | undefined> {
  const r = await runGit(cwd, args, { timeoutMs });
  return r.code === 0 ? r.stdout : undefined;
}

export function hasGit(root: string): boolean {
  return fs.existsSync(path.join(root, '.git'));
}

/** Files changed in the working tree or index relative to HEAD (rel to root), untracked included. */
export async function changedFiles(root: string, timeoutMs: number): Promise<string[]> {
  const out = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=normal', '--ignore-submodules=all'], timeoutMs);
  if (!out) return [];
  const files: string[] = [];
  const parts = out.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.length < 4) continue;
    const status = p.slice(0, 2);
    files.push(p.slice(3));
    if (status.includes('R') || status.includes('C')) i++; // the rename source follows
  }
  const prefix = await git(root, ['rev-parse', '--show-prefix'], timeoutMs);
  const pre = (prefix ?? '').trim();
  return files.map((f) => (pre && f.startsWith(pre) ? f.slice(pre.length) : f));
}

/** Changed line ranges (new side, 1-based inclusive) per file of the working tree vs HEAD, in one call. */
export async function changedLinesAll(root: string, timeoutMs: number): Promise<Map<string, Array<[number, number]>>> {
  const out = await git(root, ['diff', 'HEAD', '--unified=0', '--no-color', '--relative'], timeoutMs);
  const byFile = new Map<string, Array<[number, number]>>();
  if (!out) return byFile;
  let current: Array<[number, number]> | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('+++ ')) {
      const p = line.slice(4).trim();
      current = p === '/dev/null' ? undefined : [];
      if (current) byFile.set(p.replace(/^b\//, ''), current);
      continue;
    }
    const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (m && current) {
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count > 0) current.push([start, start + count - 1]);
    }
  }
  return byFile;
}

/** Git answers reused for a short while: a warm editor asks again on every request. */
const memo = new Map<string, { at: number; value: Promise<unknown> }>();
export function remembered<T>(key: string, ttlMs: number, compute: () => Promise<T>): Promise<T> {
  const hit = memo.get(key);
  const now = Date.now();
  if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
  if (memo.size > 500) memo.clear();
  const value = compute();
  memo.set(key, { at: now, value });
  return value;
}

/**
 * Files that changed in the same commits as `rel` over recent history: path -> commits shared.
 * Huge commits (mass renames, formatting) say little about coupling and are skipped.
 */
export async function coChanged(root: string, rel: string, timeoutMs: number, maxCommits = 400): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  // --full-diff: list every file of the commits that touched rel, not just rel.
  const full = await git(root, ['log', `-n${maxCommits}`, '--full-diff', '--format=%x01', '--name-only', '--no-renames', '--relative', '--', rel], timeoutMs);
  if (!full) return counts;
  for (const c of full.split('\x01')) {
    const files = c.split('\n').map((l) => l.trim()).filter(Boolean);
    if (files.length < 2 || files.length > 40 || !files.includes(rel)) continue;
    for (const f of files) if (f !== rel) counts.set(f, (counts.get(f) ?? 0) + 1);
  }
  return counts;
}
