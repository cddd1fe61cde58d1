import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendNoFollow, ensurePrivateFolder, folderProblem, replaceFile, userCacheDir } from '../userFiles';

/**
 * The files the context engine keeps between runs (analyses, piece counts, the sorted
 * vocabulary): in this user's cache folder (`~/.cache/ponder`, or the folder the caller names),
 * never in a folder another user could have prepared; readable by this user only, written whole
 * or not at all, never through a symlink.
 *
 * A folder that must not be used is replaced by a private one of this process, named by the
 * process and the folder refused: every cache of the process finds the same one, and the warning
 * is said once, when it is made. The file system keeps that state, not this module.
 */
export function cacheDir(dir?: string): string {
  const wanted = dir ?? userCacheDir();
  const problem = ensurePrivateFolder(wanted);
  if (!problem) return wanted;
  const key = createHash('sha1').update(wanted).digest('hex').slice(0, 12);
  const own = path.join(os.tmpdir(), `ponder-cache-${process.pid}-${Math.round(performance.timeOrigin)}-${key}`);
  let use = own;
  try {
    fs.mkdirSync(own, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && !folderProblem(own)) return own;
    // Someone else made that name (or it cannot be made): mkdtemp, 0700 under a fresh random name.
    use = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-cache-'));
  }
  process.emitWarning(`Ponder does not use the cache folder ${wanted}: ${problem}. Using ${use} for now; fix the folder (chmod go-w, or remove it) to keep the cache between runs.`);
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
