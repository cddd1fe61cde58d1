import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The files the context engine keeps between runs (analyses, piece counts, the sorted
 * vocabulary): one folder under the OS temp dir unless the caller names one, readable by this
 * user only, and written whole or not at all.
 */
export function cacheDir(dir?: string): string {
  return dir ?? path.join(os.tmpdir(), 'ponder-cache');
}

/** Creates the folder that holds `file`, this user's only. */
export function ensureFolderOf(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
}

/** Replaces `file` at once (a temporary file renamed over it): a reader never sees half of it. */
export function writeAtomically(file: string, text: string): void {
  ensureFolderOf(file);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, 'latin1'); // the cache files are ASCII
  fs.renameSync(tmp, file);
}
