import { isSecretPath } from './secrets';
import fsSync from 'node:fs';
import path from 'node:path';
import type { CommandOutcome, CommandRequest, EditOutcome, EditorPort, EditProposal, FileList, FileStat, ListOptions, WorkspaceRoot } from '../editor/port';
import { nodeDeleteFile, nodeRenameFile, spawnCommand, writeProposal } from '../editor/nodeOps';

/**
 * The editor port over the real file system: the CLI and unit tests use it. Symlinks are
 * followed only when their target stays inside a workspace root, and each directory is
 * visited once (cycles end). Edits are written to disk, commands run in a child shell.
 */
export class NodeWorkspace implements EditorPort {
  private readonly rootList: WorkspaceRoot[];
  /** The CLI trusts the folder it was pointed at; tests say otherwise to check untrusted behaviour. */
  readonly trusted: boolean;

  /** Environment variables the commands it runs never see (the endpoint's key variable); credentials by name are dropped anyway. */
  private readonly hideEnv: readonly string[];

  constructor(roots: Array<string | WorkspaceRoot>, private readonly overlays: Map<string, string> = new Map(), opts: { trusted?: boolean; hideEnv?: readonly string[] } = {}) {
    this.rootList = roots.map((r) => (typeof r === 'string' ? { name: path.basename(path.resolve(r)), path: path.resolve(r) } : { name: r.name, path: path.resolve(r.path) }));
    this.trusted = opts.trusted ?? true;
    this.hideEnv = opts.hideEnv ?? [];
  }

  roots(): readonly WorkspaceRoot[] {
    return this.rootList;
  }

  /** Unsaved text for a path (tests use it to stand in for an editor buffer). */
  setOverlay(file: string, text: string | undefined): void {
    if (text === undefined) this.overlays.delete(path.resolve(file));
    else this.overlays.set(path.resolve(file), text);
  }

  private inside(real: string): boolean {
    return this.rootList.some((r) => real === r.path || real.startsWith(r.path + path.sep));
  }

  async listFiles(root: WorkspaceRoot, opts: ListOptions = {}): Promise<FileList> {
    const files: string[] = [];
    const max = opts.maxFiles ?? Infinity;
    const seenDirs = new Set<string>();
    let truncated = false;
    // Sync calls: one directory at a time through the thread pool costs more than the reads.
    const rootReal = realpathOr(root.path) ?? root.path;
    const queue: string[] = opts.start ? [...opts.start] : [''];
    let pending: string[] | undefined;
    seenDirs.add(rootReal);
    while (queue.length > 0) {
      if (files.length >= max) {
        truncated = true;
        break;
      }
      if (opts.signal?.aborted || (opts.deadline !== undefined && Date.now() > opts.deadline)) {
        // Stopped between folders: the next call can walk on from here.
        truncated = true;
        pending = queue;
        break;
      }
      const rel = queue.shift()!;
      let entries: import('node:fs').Dirent[];
      try {
        entries = fsSync.readdirSync(path.join(root.path, rel), { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const childRel = rel ? `${rel}/${e.name}` : e.name;
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        if (e.isSymbolicLink()) {
          const abs = path.join(root.path, childRel);
          const real = realpathOr(abs);
          if (!real || !this.inside(real)) continue; // outside the workspace: not followed
          if (isSecretPath(path.relative(rootReal, real).split(path.sep).join('/'))) continue; // a link to a secret file is one
          const st = statOr(real);
          if (!st) continue;
          isDir = st.isDirectory();
          isFile = st.isFile();
          if (isDir) {
            if (seenDirs.has(real)) continue;
            seenDirs.add(real);
          }
        }
        if (isDir) {
          if (opts.skipDir?.(childRel)) continue;
          queue.push(childRel);
        } else if (isFile) {
          files.push(childRel);
          if (files.length >= max) {
            truncated = true;
            break;
          }
        }
      }
    }
    return { files, truncated, pending };
  }

  async readFile(file: string): Promise<string | undefined> {
    return this.readFileSync(file);
  }

  readFileSync(file: string): string | undefined {
    const abs = path.resolve(file);
    const overlay = this.overlays.get(abs);
    if (overlay !== undefined) return overlay;
    // Sync reads: for many small files they beat the thread-pool round trips, and the CLI has nothing else to do.
    try {
      return fsSync.readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  }

  async stat(file: string): Promise<FileStat | undefined> {
    return this.statSync(file);
  }

  statSync(file: string): FileStat | undefined {
    // Without overlays the path needs no normalizing (the index stats thousands of absolute paths).
    const abs = this.overlays.size > 0 || !path.isAbsolute(file) ? path.resolve(file) : file;
    const overlay = this.overlays.size > 0 ? this.overlays.get(abs) : undefined;
    let st: fsSync.Stats | undefined;
    try {
      st = fsSync.statSync(abs, { throwIfNoEntry: false });
    } catch {
      st = undefined; // unreadable, or a file where a folder was expected
    }
    if (!st) return overlay !== undefined ? { size: Buffer.byteLength(overlay), mtimeMs: 0, isFile: true, isDirectory: false } : undefined;
    return { size: overlay !== undefined ? Buffer.byteLength(overlay) : st.size, mtimeMs: st.mtimeMs, isFile: st.isFile(), isDirectory: st.isDirectory() };
  }

  applyEdit(proposal: EditProposal): Promise<EditOutcome> {
    return writeProposal(proposal);
  }

  runCommand(request: CommandRequest, signal?: AbortSignal): Promise<CommandOutcome> {
    return spawnCommand(request, signal, { hideEnv: this.hideEnv });
  }

  deleteFile(absPath: string): Promise<EditOutcome> {
    return nodeDeleteFile(absPath);
  }

  renameFile(fromAbs: string, toAbs: string): Promise<EditOutcome> {
    return nodeRenameFile(fromAbs, toAbs);
  }
}

function realpathOr(p: string): string | undefined {
  try {
    return fsSync.realpathSync(p);
  } catch {
    return undefined;
  }
}

function statOr(p: string): fsSync.Stats | undefined {
  try {
    return fsSync.statSync(p);
  } catch {
    return undefined;
  }
}
