import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { asciiJson } from './sortedLines';
import { appendToCacheFile, cacheDir, ensureFolderOf, writeAtomically } from './files';

/**
 * What reading a file yields for matching (terms, imports, top-level symbols), cached by the
 * hash of its content in the user's cache folder (files.ts), so a new CLI process does not
 * re-tokenize the unchanged files of a repository. Content-addressed: a record can only be reused for
 * byte-identical text, so a cold run and a warm one give the same answer.
 *
 * Three files, so that a run reads little more than the records it needs:
 *  - "recent": the records the last run used (JSON lines), read first, rewritten when a run used
 *    others: a repeat request in the same checkout reads nothing else;
 *  - the archive: every record (JSON lines, append-only) with an index of `key offset length`
 *    lines; on a miss the index is read and each record fetched by a positioned read, so a big
 *    archive (many versions of many repositories) costs a lookup, not a load. A record whose
 *    line does not start with its key (two writers raced) is a miss. Past COMPACT_AT bytes the
 *    archive is rewritten with the newest KEEP_BYTES of records.
 * All lines are ASCII (JSON escapes), read back as one-byte strings.
 */
export interface Analysis {
  /** How often each term occurs, flattened: [term, count, term, count, ...]. */
  termCounts: Array<string | number>;
  /** How many terms the file has in all (the document length for ranking). */
  termTotal: number;
  /** Its import statements: the specifier and the names each brings in. */
  imports: Array<{ spec: string; names: string[] }>;
  symbols: Array<{ name: string; line: number; exported: boolean }>;
}

/**
 * What packing a file learned about its content, kept for the next request: only files that
 * were packed have it, so a cold repository pays for it file by file, not all at once.
 */
export interface PackData {
  /** Token counts of the chunks of its rendered lines (the context engine's chunks.ts). */
  chunkTokens?: number[];
  /** Each excerpt block's distinct terms, space-joined. */
  blockTerms?: string[];
  /** Excerpt blocks, flattened [start, end, ...] (the context engine's blocks.ts). */
  blocks?: number[];
  /** Secret redaction: how many credentials were found. */
  redactionCount?: number;
  /** The lines redaction replaces: [0-based line index, new text]. */
  redactedLines?: Array<[number, string]>;
}

/** Part of every cache file name and key: records written in another shape are never read. */
export const ANALYSIS_VERSION = 'v7';
/** The fields a pack-data record may have: a record with any other is from another version. */
const PACK_DATA_FIELDS = new Set(['chunkTokens', 'blockTerms', 'blocks', 'redactionCount', 'redactedLines']);
/** Key suffix of pack-data records. */
const PACK_DATA = '#p';
/** Archive compaction: past COMPACT_AT bytes, keep the newest KEEP_BYTES (and this run's records). */
const COMPACT_AT = 96 << 20;
const KEEP_BYTES = 48 << 20;

export class AnalysisCache {
  /** Parsed records, or their raw line until a lookup needs it. */
  private readonly records = new Map<string, Analysis | PackData | string>();
  /** Raw lines as read, to write the recent file without serializing again. */
  private readonly raw = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly fresh: Array<[string, Analysis | PackData]> = [];
  /** Keys read from the recent file. */
  private readonly recentKeys = new Set<string>();
  private recentLoaded = false;
  /** The archive's index (key -> [offset, length]), once read. */
  private archive: Map<string, [number, number]> | undefined;
  private archiveFd: number | undefined;

  /** `file`: the path prefix of the cache files; null keeps everything in memory. */
  constructor(
    private readonly file: string | null,
    private readonly limits = { compactAt: COMPACT_AT, keepBytes: KEEP_BYTES },
  ) {}

  static atDefault(dir?: string | null): AnalysisCache {
    if (dir === null) return new AnalysisCache(null);
    return new AnalysisCache(path.join(cacheDir(dir), `analysis-${ANALYSIS_VERSION}`));
  }

  static hash(text: string): string {
    return createHash('sha1').update(text).digest('base64url');
  }

  private get recentFile(): string {
    return `${this.file}.recent.jsonl`;
  }
  private get dataFile(): string {
    return `${this.file}.data`;
  }
  private get indexFile(): string {
    return `${this.file}.index`;
  }

  private loadRecent(): void {
    if (this.recentLoaded) return;
    this.recentLoaded = true;
    let text: string;
    try {
      text = fs.readFileSync(this.recentFile, 'latin1');
    } catch {
      return;
    }
    // Lines are `["<key>",{...}]`: keyed now, parsed when asked for.
    for (let at = 0; at < text.length; ) {
      let end = text.indexOf('\n', at);
      if (end === -1) end = text.length;
      if (text.startsWith('["', at)) {
        const q = text.indexOf('"', at + 2);
        if (q !== -1 && q < end) {
          const key = text.slice(at + 2, q);
          const line = text.slice(at, end);
          this.records.set(key, line);
          this.raw.set(key, line);
          this.recentKeys.add(key);
        }
      }
      at = end + 1;
    }
  }

  private loadIndex(): Map<string, [number, number]> {
    if (this.archive) return this.archive;
    const index = new Map<string, [number, number]>();
    this.archive = index;
    let text: string;
    try {
      text = fs.readFileSync(this.indexFile, 'latin1');
    } catch {
      return index;
    }
    for (const line of text.split('\n')) {
      const [key, off, len] = line.split(' ');
      const o = Number(off);
      const n = Number(len);
      if (key && Number.isInteger(o) && Number.isInteger(n) && n > 0) index.set(key, [o, n]);
    }
    return index;
  }

  /** A record's line from the archive by positioned read; undefined when absent or not its line. */
  private fetch(key: string): string | undefined {
    const at = this.loadIndex().get(key);
    if (!at) return undefined;
    try {
      this.archiveFd ??= fs.openSync(this.dataFile, 'r');
      const buf = Buffer.allocUnsafe(at[1]);
      const n = fs.readSync(this.archiveFd, buf, 0, at[1], at[0]);
      const line = buf.toString('latin1', 0, n);
      return line.startsWith(`["${key}"`) ? line : undefined;
    } catch {
      return undefined;
    }
  }

  /** The record for `key` (recent file first, then the archive), parsed and checked, or undefined. */
  private lookup(key: string, parse: (line: string, key: string) => Analysis | PackData | undefined): Analysis | PackData | undefined {
    if (!this.file) return this.records.get(key) as Analysis | PackData | undefined;
    this.loadRecent();
    let r = this.records.get(key);
    if (r === undefined) {
      const line = this.fetch(key);
      if (line !== undefined) {
        this.raw.set(key, line);
        r = line;
      }
    }
    if (typeof r === 'string') {
      const parsed = parse(r, key);
      if (parsed) this.records.set(key, parsed);
      else {
        this.records.delete(key);
        this.raw.delete(key);
      }
      r = parsed;
    }
    if (r) this.used.add(key);
    return r;
  }

  get(hash: string): Analysis | undefined {
    const r = this.lookup(hash, parseRecord);
    return r && 'termCounts' in r ? r : undefined;
  }

  /** What packing learned about a content (PackData), stored beside its analysis. */
  getPackData(hash: string): PackData | undefined {
    const r = this.lookup(hash + PACK_DATA, parsePackData);
    return r && !('termCounts' in r) ? r : undefined;
  }

  putPackData(hash: string, r: PackData): void {
    this.store(hash + PACK_DATA, r);
  }

  put(hash: string, a: Analysis): void {
    this.store(hash, a);
  }

  private store(key: string, r: Analysis | PackData): void {
    this.records.set(key, r);
    this.raw.delete(key);
    this.used.add(key);
    this.fresh.push([key, r]);
  }

  private line(key: string): string | undefined {
    const raw = this.raw.get(key);
    if (raw !== undefined) return raw;
    const r = this.records.get(key);
    return r === undefined || typeof r === 'string' ? r : toLine(key, r);
  }

  /**
   * Appends new records to the archive (and its index) and, when this run used records the
   * recent file did not hold, or far fewer than it holds (a first call uses every file's
   * analysis, a repeat call only what it packs), rewrites the recent file with this run's.
   */
  flush(): void {
    if (!this.file) return;
    const stale = this.fresh.length > 0 || [...this.used].some((k) => !this.recentKeys.has(k)) || this.recentKeys.size > 2 * this.used.size + 256;
    if (!stale) return;
    try {
      ensureFolderOf(this.file);
      if (this.fresh.length > 0) this.append();
      const recent = [...this.used].map((k) => this.line(k)).filter((l): l is string => l !== undefined);
      writeAtomically(this.recentFile, recent.join('\n') + '\n');
      this.recentKeys.clear();
      for (const k of this.used) this.recentKeys.add(k);
    } catch {
      /* a read-only temp dir only costs speed */
    }
  }

  private append(): void {
    const lines = this.fresh.map(([k, r]) => [k, toLine(k, r)] as const);
    this.fresh.length = 0;
    let size = 0;
    try {
      size = fs.statSync(this.dataFile).size;
    } catch {
      /* a new archive */
    }
    if (size > this.limits.compactAt) return this.compact(lines);
    const data = lines.map(([, l]) => l + '\n').join('');
    const index: string[] = [];
    let at = size;
    for (const [k, l] of lines) {
      index.push(`${k} ${at} ${l.length}\n`);
      at += l.length + 1;
    }
    appendToCacheFile(this.dataFile, data);
    appendToCacheFile(this.indexFile, index.join(''));
    for (const [k, l] of lines) this.raw.set(k, l);
  }

  /** Rewrites the archive with the newest records up to KEEP_BYTES, this run's new ones last. */
  private compact(fresh: ReadonlyArray<readonly [string, string]>): void {
    const index = [...this.loadIndex()].sort((a, b) => a[1][0] - b[1][0]);
    const keep: Array<readonly [string, string]> = [];
    let bytes = fresh.reduce((n, [, l]) => n + l.length + 1, 0);
    for (let i = index.length - 1; i >= 0 && bytes < this.limits.keepBytes; i--) {
      const line = this.fetch(index[i][0]);
      if (line === undefined) continue;
      keep.push([index[i][0], line]);
      bytes += line.length + 1;
    }
    const all = [...keep.reverse(), ...fresh];
    let at = 0;
    const idx = all.map(([k, l]) => {
      const row = `${k} ${at} ${l.length}\n`;
      at += l.length + 1;
      return row;
    });
    if (this.archiveFd !== undefined) fs.closeSync(this.archiveFd);
    this.archiveFd = undefined;
    this.archive = undefined;
    writeAtomically(this.dataFile, all.map(([, l]) => l + '\n').join(''));
    writeAtomically(this.indexFile, idx.join(''));
  }
}

function parsePackData(line: string, key: string): PackData | undefined {
  try {
    const [h, r] = JSON.parse(line) as [string, PackData];
    const ok = (v: unknown) => v === undefined || Array.isArray(v);
    const known = (k: string) => PACK_DATA_FIELDS.has(k);
    return h === key && r && typeof r === 'object' && Object.keys(r).every(known) && ok(r.chunkTokens) && ok(r.blockTerms) && ok(r.blocks) && ok(r.redactedLines) && (r.redactionCount === undefined || typeof r.redactionCount === 'number') ? r : undefined;
  } catch {
    return undefined;
  }
}

/** One cache line, or undefined when it is torn (a concurrent writer) or not ours. */
function parseRecord(line: string, hash: string): Analysis | undefined {
  try {
    const [h, a] = JSON.parse(line) as [string, Analysis];
    return h === hash && a && Array.isArray(a.termCounts) && typeof a.termTotal === 'number' && Array.isArray(a.imports) && Array.isArray(a.symbols) ? a : undefined;
  } catch {
    return undefined;
  }
}

/** One record as a line of ASCII (JSON escapes). */
function toLine(key: string, r: Analysis | PackData): string {
  return asciiJson([key, r]);
}
