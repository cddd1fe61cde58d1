import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/**
 * One checkpoint per agent task: before the agent first changes a path, the path's bytes (or its
 * absence) and mode are stored, so Undo puts every touched file back exactly (created files
 * removed, deleted and renamed ones restored), also after a restart. After each change the hash
 * of what the agent left is kept: a file whose bytes differ from it at undo time was changed by
 * someone else since, and is reported as a conflict instead of being overwritten unasked.
 *
 * Layout under the caller's folder: `<dir>/<taskId>/manifest.json` and `<dir>/<taskId>/blobs/<sha256>`
 * (content-addressed, written before the manifest names them; the manifest is replaced atomically,
 * and always before the file it describes is changed, so a task cancelled or killed at any point
 * leaves a checkpoint that restores everything it touched).
 */

const MANIFEST = 'manifest.json';
const VERSION = 1;

interface FileState { exists: boolean; sha?: string; size?: number; mode?: number }

interface ManifestFile {
  /** The path before the agent's first change to it. */
  before: FileState;
  /** What the agent left there (absent while a change is in flight). */
  after?: FileState;
  /** A rename: this path's other end (`to` on the source, `from` on the target). */
  from?: string;
  to?: string;
  /** Folders the agent's change created (removed again by undo when empty), deepest first. */
  createdDirs?: string[];
  /** Undone (or kept by the user in review): no longer part of the checkpoint's changes. */
  settled?: 'undone' | 'kept';
  /** Order of first change. */
  seq: number;
}

interface Manifest {
  v: number;
  taskId: string;
  root: string;
  task?: string;
  createdAt: number;
  updatedAt: number;
  files: Record<string, ManifestFile>;
}

export type CheckpointAction = 'created' | 'edited' | 'renamed' | 'deleted';

/** One changed path, for review and undo. `before` is what undo writes back (null: it did not exist). */
export interface CheckpointChange {
  path: string;
  action: CheckpointAction;
  /** A rename's old path (`path` is the new one). */
  from?: string;
  before: Buffer | null;
  /** The bytes on disk now (null: absent). */
  current: Buffer | null;
  /** Someone changed the path after the agent did (the bytes differ from what the agent left). */
  conflict: boolean;
}

export interface CheckpointSummary {
  taskId: string;
  root: string;
  task?: string;
  createdAt: number;
  updatedAt: number;
  /** Paths still part of the checkpoint (not undone or kept). */
  open: number;
}

export interface UndoOptions {
  /** Only these paths (a rename's either end undoes both); default: every open path. */
  paths?: readonly string[];
  /** Overwrite these conflicted paths (true: all) instead of skipping them. */
  overwrite?: boolean | readonly string[];
}

export interface UndoReport {
  /** Written back with their original bytes (edited, deleted, renamed-away files). */
  restored: string[];
  /** Removed (the agent created them). */
  removed: string[];
  /** Left alone: changed by someone after the agent; undo again with `overwrite` to force. */
  conflicts: { path: string; why: string }[];
  failed: { path: string; error: string }[];
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function readOrNull(abs: string): Promise<Buffer | null> {
  try { return await fs.readFile(abs); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  await fs.writeFile(tmp, data, { mode: 0o600, flag: 'wx' });
  try { await fs.rename(tmp, file); } catch (e) { await fs.rm(tmp, { force: true }); throw e; }
}

const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function posixRel(rel: string): string {
  const norm = path.posix.normalize(rel.replace(/\\/g, '/'));
  if (!norm || norm === '.' || norm.startsWith('../') || norm === '..' || path.posix.isAbsolute(norm)) {
    throw new Error(`checkpoint: "${rel}" is not a path inside the workspace`);
  }
  return norm;
}

export class Checkpoint {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string, private manifest: Manifest) {}

  get id(): string { return this.manifest.taskId; }
  get root(): string { return this.manifest.root; }
  get task(): string | undefined { return this.manifest.task; }
  /** The checkpoint's own folder (`<dir>/<taskId>`). */
  get folder(): string { return path.join(this.dir, this.manifest.taskId); }

  /** Starts an empty checkpoint for a task; nothing is written until the first change. */
  static async create(opts: { dir: string; taskId: string; root: string; task?: string; now?: () => number }): Promise<Checkpoint> {
    if (!TASK_ID.test(opts.taskId)) throw new Error(`checkpoint: bad task id "${opts.taskId}"`);
    const now = (opts.now ?? Date.now)();
    const cp = new Checkpoint(opts.dir, { v: VERSION, taskId: opts.taskId, root: path.resolve(opts.root), task: opts.task, createdAt: now, updatedAt: now, files: {} });
    await fs.mkdir(path.join(cp.folder, 'blobs'), { recursive: true, mode: 0o700 });
    await cp.save();
    return cp;
  }

  /** A checkpoint written earlier (this process or another); undefined when there is none. */
  static async open(dir: string, taskId: string): Promise<Checkpoint | undefined> {
    if (!TASK_ID.test(taskId)) return undefined;
    let text: string;
    try { text = await fs.readFile(path.join(dir, taskId, MANIFEST), 'utf8'); } catch { return undefined; }
    const m = JSON.parse(text) as Manifest;
    if (m.v !== VERSION || m.taskId !== taskId || typeof m.root !== 'string' || typeof m.files !== 'object') {
      throw new Error(`checkpoint ${taskId}: the manifest in ${dir} is not one this version of Ponder wrote`);
    }
    return new Checkpoint(dir, m);
  }

  /** Checkpoints under `dir`, newest first; `root` keeps those of one workspace folder. */
  static async list(dir: string, opts: { root?: string } = {}): Promise<CheckpointSummary[]> {
    let names: string[];
    try { names = await fs.readdir(dir); } catch { return []; }
    const out: CheckpointSummary[] = [];
    const root = opts.root ? path.resolve(opts.root) : undefined;
    for (const name of names) {
      const cp = await Checkpoint.open(dir, name).catch(() => undefined);
      if (!cp || (root && cp.root !== root)) continue;
      out.push(cp.summary());
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  summary(): CheckpointSummary {
    const m = this.manifest;
    // A rename counts once (at its new path).
    const open = this.openPaths().filter((p) => !(m.files[p].to && m.files[m.files[p].to!] && !m.files[m.files[p].to!].settled)).length;
    return { taskId: m.taskId, root: m.root, task: m.task, createdAt: m.createdAt, updatedAt: m.updatedAt, open };
  }

  /** True when `rel` is already recorded (its original state is safe). */
  has(rel: string): boolean { return !!this.manifest.files[posixRel(rel)]; }

  /**
   * Records what `rel` holds now, before its first change in this task (later calls do nothing).
   * Call it BEFORE touching the file: once it resolves, undo can put the path back.
   */
  before(rel: string): Promise<void> {
    return this.serial(async () => {
      const key = posixRel(rel);
      const prev = this.manifest.files[key];
      if (prev && !prev.settled) return;
      const abs = this.abs(key);
      const bytes = await readOrNull(abs);
      const state: FileState = { exists: bytes !== null };
      if (bytes) {
        state.sha = sha256(bytes);
        state.size = bytes.length;
        state.mode = (await fs.stat(abs)).mode & 0o7777;
        const blob = path.join(this.folder, 'blobs', state.sha);
        try { await fs.writeFile(blob, bytes, { mode: 0o600, flag: 'wx' }); } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
      }
      const createdDirs = bytes === null ? await missingDirs(this.root, key) : undefined;
      this.manifest.files[key] = { before: state, seq: Object.keys(this.manifest.files).length + 1, ...(createdDirs?.length ? { createdDirs } : {}) };
      await this.save();
    });
  }

  /** Records what the agent left at `rel` (null: it removed the path), right after the change. */
  after(rel: string, bytes: Uint8Array | null): Promise<void> {
    return this.serial(async () => {
      const key = posixRel(rel);
      const f = this.manifest.files[key];
      if (!f) throw new Error(`checkpoint: ${key} was changed without being recorded first`);
      f.after = bytes === null ? { exists: false } : { exists: true, sha: sha256(bytes), size: bytes.length };
      await this.save();
    });
  }

  /** Links a rename's two ends (both recorded with `before` first), for review and per-file undo. */
  renamed(fromRel: string, toRel: string): Promise<void> {
    return this.serial(async () => {
      const from = posixRel(fromRel);
      const to = posixRel(toRel);
      const a = this.manifest.files[from];
      const b = this.manifest.files[to];
      if (!a || !b) throw new Error(`checkpoint: rename ${from} → ${to} was not recorded first`);
      // A file created in this task and then renamed stays "created" at its new path.
      if (a.before.exists) { a.to = to; b.from = from; }
      await this.save();
    });
  }

  /** The paths the agent changed and that are still open, with their original bytes, for review. */
  async changes(): Promise<CheckpointChange[]> {
    const out: CheckpointChange[] = [];
    const files = this.manifest.files;
    for (const key of this.openPaths()) {
      const f = files[key];
      if (f.to && files[f.to] && !files[f.to].settled) continue; // shown at its new path
      const current = await readOrNull(this.abs(key));
      const before = f.before.exists ? await this.blob(f.before.sha!) : null;
      let action: CheckpointAction;
      let from: string | undefined;
      if (f.from) { action = 'renamed'; from = f.from; }
      else if (!f.before.exists) action = 'created';
      else if (f.after && !f.after.exists) action = 'deleted';
      else action = 'edited';
      // Created then deleted, or changed and changed back: nothing to review.
      if (!f.from && sameBytes(before, current) && (f.after === undefined || !conflictOf(f, current))) continue;
      out.push({ path: key, action, ...(from ? { from } : {}), before, current, conflict: conflictOf(f, current) });
    }
    return out;
  }

  /** Paths someone changed after the agent did (undo would overwrite their work). */
  async conflicts(paths?: readonly string[]): Promise<string[]> {
    const keys = this.expand(paths);
    const out: string[] = [];
    for (const key of keys) if (conflictOf(this.manifest.files[key], await readOrNull(this.abs(key)))) out.push(key);
    return out;
  }

  /**
   * Puts the paths back as they were before the task: bytes and mode restored, created files
   * removed (and the folders the agent created for them, when empty). Conflicted paths are
   * skipped and reported unless `overwrite` names them. Works on a checkpoint reopened after a restart.
   */
  undo(opts: UndoOptions = {}): Promise<UndoReport> {
    return this.serial(async () => {
      const report: UndoReport = { restored: [], removed: [], conflicts: [], failed: [] };
      const keys = this.expand(opts.paths);
      const force = (p: string) => opts.overwrite === true || (Array.isArray(opts.overwrite) && opts.overwrite.includes(p));
      // A rename undoes as a pair: if either end is conflicted and not forced, neither is touched.
      const blocked = new Set<string>();
      for (const key of keys) {
        const f = this.manifest.files[key];
        const current = await readOrNull(this.abs(key));
        if (conflictOf(f, current) && !force(key)) {
          report.conflicts.push({ path: key, why: f.after?.exists ? (current === null ? 'deleted after the agent changed it' : 'edited after the agent changed it') : 'created again after the agent removed it' });
          blocked.add(key);
          const other = f.from ?? f.to;
          if (other) blocked.add(other);
        }
      }
      // Removals first (a rename's target), then restores, so a path freed by one can take the other.
      const ordered = keys.filter((k) => !blocked.has(k)).sort((a, b) => Number(this.manifest.files[a].before.exists) - Number(this.manifest.files[b].before.exists));
      for (const key of ordered) {
        const f = this.manifest.files[key];
        const abs = this.abs(key);
        try {
          if (!f.before.exists) {
            const existed = (await readOrNull(abs)) !== null;
            await fs.rm(abs, { force: true });
            for (const d of f.createdDirs ?? []) await fs.rmdir(this.abs(d)).catch(() => undefined);
            if (existed) report.removed.push(key);
          } else {
            const bytes = await this.blob(f.before.sha!);
            const now = await readOrNull(abs);
            if (!now || !bytes.equals(now)) {
              await fs.mkdir(path.dirname(abs), { recursive: true });
              await writeAtomicKeepingMode(abs, bytes, f.before.mode);
              report.restored.push(key);
            } else if (f.before.mode !== undefined) {
              await fs.chmod(abs, f.before.mode).catch(() => undefined);
            }
          }
          f.settled = 'undone';
        } catch (e) {
          report.failed.push({ path: key, error: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
        }
      }
      await this.save();
      return report;
    });
  }

  /** Review's "keep": the paths leave the checkpoint (undo no longer touches them). */
  keep(paths: readonly string[]): Promise<void> {
    return this.serial(async () => {
      for (const key of this.expand(paths)) this.manifest.files[key].settled = 'kept';
      await this.save();
    });
  }

  /** Deletes the checkpoint's folder (after the user is done with it). */
  async discard(): Promise<void> {
    await fs.rm(this.folder, { recursive: true, force: true });
  }

  /** Total bytes of the checkpoint on disk (manifest and blobs). */
  async sizeOnDisk(): Promise<number> {
    let total = 0;
    const walk = async (d: string): Promise<void> => {
      for (const e of await fs.readdir(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) await walk(p); else total += (await fs.stat(p)).size;
      }
    };
    await walk(this.folder);
    return total;
  }

  private openPaths(): string[] {
    const files = this.manifest.files;
    return Object.keys(files).filter((k) => !files[k].settled).sort((a, b) => files[a].seq - files[b].seq);
  }

  /** The open paths to act on: all, or the named ones plus their rename partners. */
  private expand(paths?: readonly string[]): string[] {
    const open = new Set(this.openPaths());
    if (!paths) return [...open];
    const out = new Set<string>();
    for (const p of paths) {
      const key = posixRel(p);
      if (!open.has(key)) continue;
      out.add(key);
      const f = this.manifest.files[key];
      for (const other of [f.from, f.to]) if (other && open.has(other)) out.add(other);
    }
    return [...out];
  }

  private abs(key: string): string { return path.join(this.root, ...key.split('/')); }

  private async blob(sha: string): Promise<Buffer> {
    const bytes = await fs.readFile(path.join(this.folder, 'blobs', sha));
    if (sha256(bytes) !== sha) throw new Error(`checkpoint ${this.id}: the saved copy ${sha.slice(0, 12)} is damaged`);
    return bytes;
  }

  private async save(): Promise<void> {
    this.manifest.updatedAt = Math.max(Date.now(), this.manifest.updatedAt);
    await writeAtomic(path.join(this.folder, MANIFEST), JSON.stringify(this.manifest));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  return a === null ? b === null : b !== null && a.equals(b);
}

function conflictOf(f: ManifestFile, current: Buffer | null): boolean {
  if (!f.after) return false; // the change was in flight: only the agent wrote here
  if (!f.after.exists) return current !== null;
  return current === null || current.length !== f.after.size || sha256(current) !== f.after.sha;
}

/** Folders between the root and `key` that do not exist yet, deepest first. */
async function missingDirs(root: string, key: string): Promise<string[]> {
  const parts = key.split('/').slice(0, -1);
  const out: string[] = [];
  for (let i = parts.length; i > 0; i--) {
    const rel = parts.slice(0, i).join('/');
    try { await fs.stat(path.join(root, ...rel.split('/'))); break; } catch { out.push(rel); }
  }
  return out;
}

async function writeAtomicKeepingMode(abs: string, bytes: Buffer, mode: number | undefined): Promise<void> {
  await writeAtomic(abs, bytes);
  if (mode !== undefined) await fs.chmod(abs, mode);
}
