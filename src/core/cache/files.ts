import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendNoFollow, ensurePrivateFolder, replaceFile, userCacheDir } from '../userFiles';

/**
 * The files the context engine keeps between runs (analyses, piece counts, the sorted
 * vocabulary): in this user's cache folder (`~/.cache/ponder`, or the folder the caller names),
 * never in a folder another user could have prepared; readable by this user only, written whole
 * or not at all, never through a symlink.
 */
const resolved = new Map<string, string>();

export function cacheDir(dir?: string): string {
  const wanted = dir ?? userCacheDir();
  const hit = resolved.get(wanted);
  if (hit) return hit;
  const problem = ensurePrivateFolder(wanted);
  let use = wanted;
  if (problem) {
    // A private folder of this process instead: mkdtemp makes it 0700 under a fresh random name.
    use = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-cache-'));
    process.emitWarning(`Ponder does not use the cache folder ${wanted}: ${problem}. Using ${use} for now; fix the folder (chmod go-w, or remove it) to keep the cache between runs.`);
  }
  resolved.set(wanted, use);
  return use;
}

/** Creates the folder that holds `file`, this user's only. */
export function ensureFolderOf(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
}

/** Replaces `file` at once (an exclusive temporary file renamed over it): a reader never sees half of it. */
export function writeAtomically(file: string, text: string): void {
  ensureFolderOf(file);
  replaceFile(file, text, 'latin1'); // the cache files are ASCII
}

/** Appends to a cache file, never through a symlink. */
export function appendToCacheFile(file: string, text: string): void {
  appendNoFollow(file, text, 'latin1');
}
