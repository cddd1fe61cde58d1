import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportRef } from './imports';
import { asciiJson } from './sortedLines';

/**
 * What reading a file yields for matching (terms, imports, top-level symbols), cached by the
 * hash of its content under the OS temp dir, so a new CLI process does not re-tokenize the
 * unchanged files of a repository. Content-addressed: a record can only be reused for
 * byte-identical text, so a cold run and a warm one give the same answer.
 *
 * Two JSON-lines files: the archive (append-only, compacted to the most recently used records
 * when it grows) and "recent", the records the last run used, rewritten when a run used others.
 * A repeat request in the same checkout reads only the small recent file; the archive is read
 * on the first miss (a new checkout, a changed file).
 */
export interface Analysis {
  /** Flattened term counts: [term, count, term, count, ...]. */
  tf: Array<string | number>;
  len: number;
  imports: ImportRef[];
  symbols: Array<{ name: string; line: number; exported: boolean }>;
  /** Excerpt blocks, flattened [start, end, ...] (see excerptBlocks). */
  blocks: number[];
  /** Nothing in the text looks like a credential: redaction would change nothing. */
  clean: boolean;
  /** When not clean: the lines redaction replaces (0-based index, new text) and how many credentials. */
  redacted?: Array<[number, string]>;
  redactions?: number;
}

/** Chunk token counts of a file's rendered lines (chunks.ts), and its blocks' terms, space-joined. */
export interface Counts {
  k: number[];
  b?: string[];
}

const VERSION = 'v4';
/** Key suffix of chunk-count records. */
const COUNTS = '#k';
/** Compaction: past COMPACT_AT bytes, keep the most recently used KEEP_BYTES. */
const COMPACT_AT = 8 << 20;
const KEEP_BYTES = 4 << 20;

export class AnalysisCache {
  /** Parsed records, or the raw line until a lookup needs it (a run uses a fraction of a file). */
  private readonly records = new Map<string, Analysis | Counts | string>();
  private readonly used = new Set<string>();
  private readonly fresh: Array<[string, Analysis | Counts]> = [];
  /** Keys read from the recent file. */
  private readonly recentKeys = new Set<string>();
  private recentLoaded = false;
  private archiveLoaded = false;
  private archiveBytes = 0;

  constructor(private readonly file: string | null) {}

  static atDefault(dir?: string | null): AnalysisCache {
    if (dir === null) return new AnalysisCache(null);
    return new AnalysisCache(path.join(dir ?? path.join(os.tmpdir(), 'ponder-cache'), `analysis-${VERSION}.jsonl`));
  }

  static hash(text: string): string {
    return createHash('sha1').update(text).digest('base64url');
  }

  private get recentFile(): string {
    return this.file!.replace(/\.jsonl$/, '.recent.jsonl');
  }

  /** Indexes a JSON-lines file by key (`["<key>",{...}]`) without parsing the records; its size in chars. */
  private index(file: string, keys?: Set<string>): number {
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch {
      return 0;
    }
    for (let at = 0; at < raw.length; ) {
      let end = raw.indexOf('\n', at);
      if (end === -1) end = raw.length;
      if (raw.startsWith('["', at)) {
        const q = raw.indexOf('"', at + 2);
        if (q !== -1 && q < end) {
          const key = raw.slice(at + 2, q);
          // A record already parsed (or read from the recent file) wins: same key, same content.
          if (!this.records.has(key)) this.records.set(key, raw.slice(at, end));
          keys?.add(key);
        }
      }
      at = end + 1;
    }
    return raw.length;
  }

  /** The record for `key` (recent file first, then the archive), parsed and checked, or undefined. */
  private lookup<T>(key: string, parse: (line: string, key: string) => T | undefined): T | Analysis | Counts | undefined {
    if (!this.file) return this.records.get(key) as Analysis | Counts | undefined;
    if (!this.recentLoaded) {
      this.recentLoaded = true;
      this.index(this.recentFile, this.recentKeys);
    }
    if (!this.records.has(key) && !this.archiveLoaded) {
      this.archiveLoaded = true;
      this.archiveBytes = this.index(this.file);
    }
    let r = this.records.get(key);
    if (typeof r === 'string') {
      const parsed = parse(r, key) as Analysis | Counts | undefined;
      if (parsed) this.records.set(key, parsed);
      else this.records.delete(key);
      r = parsed;
    }
    if (r) this.used.add(key);
    return r;
  }

  get(hash: string): Analysis | undefined {
    const r = this.lookup(hash, parseRecord);
    return r && !('k' in r) ? r : undefined;
  }

  /** A file's chunk token counts (chunks.ts) and block terms, stored beside its analysis. */
  getCounts(hash: string): Counts | undefined {
    const r = this.lookup(hash + COUNTS, parseCounts);
    return r && 'k' in r ? r : undefined;
  }

  putCounts(hash: string, r: Counts): void {
    this.store(hash + COUNTS, r);
  }

  put(hash: string, a: Analysis): void {
    this.store(hash, a);
  }

  private store(key: string, r: Analysis | Counts): void {
    this.records.set(key, r);
    this.used.add(key);
    this.fresh.push([key, r]);
  }

  private line(key: string): string | undefined {
    const r = this.records.get(key);
    return r === undefined ? undefined : typeof r === 'string' ? r : toLine(key, r);
  }

  /**
   * Appends new records to the archive and, when this run used records the recent file did not
   * hold, rewrites the recent file with this run's. Past COMPACT_AT bytes the archive is
   * rewritten as the most recently used records up to KEEP_BYTES: file order is recency (this
   * run's records go last), so checkouts of nearby commits, which share most files, keep hitting.
   */
  flush(): void {
    if (!this.file) return;
    const stale = this.fresh.length > 0 || [...this.used].some((k) => !this.recentKeys.has(k));
    if (!stale) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const recent = [...this.used].map((k) => this.line(k)).filter((l): l is string => l !== undefined);
      if (this.fresh.length > 0) {
        const lines = this.fresh.map(([k, r]) => toLine(k, r)).join('\n') + '\n';
        if (!this.archiveLoaded) {
          this.archiveLoaded = true;
          this.archiveBytes = this.index(this.file);
        }
        if (this.archiveBytes + lines.length > COMPACT_AT) {
          let bytes = recent.reduce((n, l) => n + l.length + 1, 0);
          const older: string[] = [];
          const rest = [...this.records.keys()].filter((k) => !this.used.has(k));
          for (let i = rest.length - 1; i >= 0 && bytes < KEEP_BYTES; i--) {
            const l = this.line(rest[i])!;
            bytes += l.length + 1;
            older.push(l);
          }
          writeAtomically(this.file, [...older.reverse(), ...recent].join('\n') + '\n');
          this.archiveBytes = bytes;
        } else {
          fs.appendFileSync(this.file, lines);
          this.archiveBytes += lines.length;
        }
        this.fresh.length = 0;
      }
      writeAtomically(this.recentFile, recent.join('\n') + '\n');
      this.recentKeys.clear();
      for (const k of this.used) this.recentKeys.add(k);
    } catch {
      /* a read-only temp dir only costs speed */
    }
  }
}

/**
 * One record as a line of ASCII (other characters escaped): the files then read back as
 * one-byte strings, half the memory and faster to scan than text with a single `é` in it.
 */
function toLine(key: string, r: Analysis | Counts): string {
  return asciiJson([key, r]);
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

function parseCounts(line: string, key: string): Counts | undefined {
  try {
    const [h, r] = JSON.parse(line) as [string, Counts];
    return h === key && r && Array.isArray(r.k) && (r.b === undefined || Array.isArray(r.b)) ? r : undefined;
  } catch {
    return undefined;
  }
}

/** One cache line, or undefined when it is torn (a concurrent writer) or not ours. */
function parseRecord(line: string, hash: string): Analysis | undefined {
  try {
    const [h, a] = JSON.parse(line) as [string, Analysis];
    return h === hash && a && Array.isArray(a.tf) && Array.isArray(a.blocks) && typeof a.clean === 'boolean' ? a : undefined;
  } catch {
    return undefined;
  }
}
