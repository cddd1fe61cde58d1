import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { cacheDir, writeAtomically } from '../cache';
import type { Withheld } from '../events';

/**
 * A workspace index kept on disk between CLI runs, so a cold call does not list, read and
 * analyse the whole repository again. It records what a run learned: the listing (and each
 * folder's mtime, which changes when an entry is added, removed or renamed), each file's size,
 * mtime and content key, its analysis (length, top-level symbols, resolved imports), an
 * inverted index of its terms and the repository map's folder blocks (valid only while nothing
 * changed since: a call that re-read any file draws them again). A file is reused when its size and mtime are unchanged and its
 * mtime is older than the snapshot by a margin (a file written in the same instant as the
 * snapshot may have changed unseen: git's "racy" case); the listing is reused when no folder
 * and no rule file (.gitignore, tsconfig, package.json) changed. The content itself is read
 * only for the files a request packs. Deleting the file is always safe.
 */
export interface SnapFile {
  /** rel path, size, mtimeMs */
  r: string;
  s: number;
  m: number;
  /** path terms, space-joined (terms() of a path costs more than splitting this) */
  p?: string;
  /** content key (hash + kind), when analysed */
  k?: string;
  /** why it is withheld, when it is */
  w?: string;
  /** term count (BM25 length) */
  n?: number;
  /** top-level symbols: [name, line, exported (1/0)] */
  y?: Array<[string, number, number]>;
  /** resolved imports: [file index in `files`, names] */
  i?: Array<[number, string[]]>;
}

export interface Snapshot {
  v: number;
  /** When it was written (epoch ms). */
  t: number;
  /** The listing was cut short (file cap, or a time limit: then `pending` says where to walk on). */
  truncated: boolean;
  /** Per root, the folders a time limit kept the walk from: the next call lists them before trusting the listing. */
  pending?: string[][];
  /** Folder rel -> mtimeMs, per root: "rootIndex:rel". */
  dirs: Record<string, number>;
  /** Per root, its files. */
  roots: SnapFile[][];
  /** term -> postings "rootIndex.fileIndex:count,..." over analysed text files. */
  post: Record<string, string>;
  /** What the listing withheld (secret files, excluded folders), for the trace. */
  withheld?: Withheld[];
  /** The repository map's folder blocks in its format `v` (repoMap.ts): they depend on the listing and symbols only. */
  b?: { v: number; blocks: readonly string[] };
}

export const SNAPSHOT_VERSION = 3;
const VERSION = SNAPSHOT_VERSION;
/** A file modified this close to the snapshot's writing is re-read (its change may be unseen). */
export const RACY_MS = 2000;

export function snapshotPath(dir: string | undefined, roots: readonly string[], optsKey: string): string {
  const h = createHash('sha1').update(JSON.stringify([roots, optsKey])).digest('base64url').slice(0, 20);
  return path.join(cacheDir(dir), `index-v${VERSION}-${h}.json`);
}

export function loadSnapshot(file: string): Snapshot | undefined {
  try {
    const s = JSON.parse(fs.readFileSync(file, 'latin1')) as Snapshot;
    return s && s.v === VERSION && Array.isArray(s.roots) && s.post && s.dirs ? s : undefined;
  } catch {
    return undefined;
  }
}

export function saveSnapshot(file: string, s: Snapshot): void {
  try {
    // ASCII only (JSON escapes), like the other cache files.
    writeAtomically(file, JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  } catch {
    // A cache that cannot be written only costs the next call time.
  }
}

/** Every folder holding a listed file, and their ancestors ('' is the root). */
export function foldersOf(rels: Iterable<string>): Set<string> {
  const out = new Set<string>(['']);
  for (const rel of rels) {
    let d = rel;
    for (let i = d.lastIndexOf('/'); i > 0; i = d.lastIndexOf('/')) {
      d = d.slice(0, i);
      if (out.has(d)) break;
      out.add(d);
    }
  }
  return out;
}

/** mtime of a folder, or -1 when it is gone. */
export function folderMtime(abs: string): number {
  try {
    return fs.statSync(abs).mtimeMs;
  } catch {
    return -1;
  }
}

/** [size, mtimeMs] of a file, or undefined when it is gone. */
export function fileStat(abs: string): [number, number] | undefined {
  try {
    const st = fs.statSync(abs);
    return [st.size, st.mtimeMs];
  } catch {
    return undefined;
  }
}
