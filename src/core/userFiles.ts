import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where Ponder keeps files between runs (the spend ledger, the context caches), and how it opens
 * them on a machine it shares with other users: folders are this user's and not writable by
 * others, files are opened without following symlinks, temporary files are created exclusively.
 */

type Env = NodeJS.ProcessEnv;

/** The ledger's folder, shared by the CLI and every VS Code window: `$PONDER_LEDGER`'s, else the platform's config folder. */
export function userConfigDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'ponder');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'ponder');
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), 'ponder');
}

/** The context caches' folder: the platform's per-user cache folder. */
export function userCacheDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local'), 'ponder', 'cache');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Caches', 'ponder');
  return path.posix.join(env.XDG_CACHE_HOME || path.posix.join(home, '.cache'), 'ponder');
}

/**
 * Why `dir` must not be used, or undefined when it is safe: it exists as a real folder (not a
 * symlink), belongs to this user and is not writable by group or others. POSIX only; on Windows
 * the per-user profile folders carry their own ACLs.
 */
export function folderProblem(dir: string): string | undefined {
  let st: fs.Stats;
  try { st = fs.lstatSync(dir); } catch (err) { return `${dir} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`; }
  if (st.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!st.isDirectory()) return `${dir} is not a folder`;
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return undefined;
  if (st.uid !== process.getuid()) return `${dir} belongs to another user (uid ${st.uid})`;
  if (st.mode & 0o022) return `${dir} is writable by other users (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

/** Creates `dir` (this user's only) if missing; returns why it must not be used, if so. */
export function ensurePrivateFolder(dir: string): string | undefined {
  try { fs.mkdirSync(dir, { recursive: true, mode: 0o700 }); } catch (err) { return `${dir} cannot be created (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`; }
  return folderProblem(dir);
}

/** O_NOFOLLOW where the platform has it: opening a symlink fails (ELOOP) instead of writing through it. */
export const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** Opens `file` for appending (created 0600), never through a symlink. */
export function openForAppend(file: string, readable = false): Promise<fs.promises.FileHandle> {
  const c = fs.constants;
  return fs.promises.open(file, (readable ? c.O_RDWR : c.O_WRONLY) | c.O_APPEND | c.O_CREAT | NOFOLLOW, 0o600);
}

/** Appends synchronously, never through a symlink. */
export function appendNoFollow(file: string, data: string, encoding: BufferEncoding): void {
  const c = fs.constants;
  const fd = fs.openSync(file, c.O_WRONLY | c.O_APPEND | c.O_CREAT | NOFOLLOW, 0o600);
  try { fs.writeSync(fd, data, null, encoding); } finally { fs.closeSync(fd); }
}

/**
 * Replaces `file` whole: the text goes to a new temporary file created exclusively (a planted
 * file or symlink of that name makes it fail instead of being written through), then renamed
 * over `file` (rename replaces a symlink, it does not follow it).
 */
export function replaceFile(file: string, text: string, encoding: BufferEncoding): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW, 0o600);
  try { fs.writeSync(fd, text, null, encoding); } finally { fs.closeSync(fd); }
  try { fs.renameSync(tmp, file); } catch (err) { fs.rmSync(tmp, { force: true }); throw err; }
}
