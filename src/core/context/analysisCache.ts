import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportRef } from './imports';

/**
 * What reading a file yields for matching (terms, imports, top-level symbols), cached by the
 * hash of its content in a JSON-lines file under the OS temp dir, so a new CLI process does not
 * re-tokenize the unchanged files of a repository. Content-addressed: a record can only be
 * reused for byte-identical text, so a cold run and a warm one give the same answer. The file
 * is append-only and compacted to the most recently used records when it grows.
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
const COMPACT_AT = 12 << 20;
const KEEP_BYTES = 6 << 20;

export class AnalysisCache {
  /** Parsed records, or the raw line until a lookup needs it (a run uses a fraction of the file). */
  private readonly records = new Map<string, Analysis | Counts | string>();
  private readonly used = new Set<string>();
  private readonly fresh: Array<[string, Analysis | Counts]> = [];
  private loaded = false;
  private fileBytes = 0;

  constructor(private readonly file: string | null) {}

  static atDefault(dir?: string | null): AnalysisCache {
    if (dir === null) return new AnalysisCache(null);
    return new AnalysisCache(path.join(dir ?? path.join(os.tmpdir(), 'ponder-cache'), `analysis-${VERSION}.jsonl`));
  }

  static hash(text: string): string {
    return createHash('sha1').update(text).digest('base64url');
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    if (!this.file) return;
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    this.fileBytes = raw.length;
    // Lines are `["<hash>",{...}]`: index them by hash now, parse one when it is asked for.
    let at = 0;
    while (at < raw.length) {
      let end = raw.indexOf('\n', at);
      if (end === -1) end = raw.length;
      if (raw.startsWith('["', at)) {
        const q = raw.indexOf('"', at + 2);
        if (q !== -1 && q < end) this.records.set(raw.slice(at + 2, q), raw.slice(at, end));
      }
      at = end + 1;
    }
  }

  get(hash: string): Analysis | undefined {
    this.load();
    let a = this.records.get(hash);
    if (typeof a === 'string') {
      a = parseRecord(a, hash);
      if (a) this.records.set(hash, a);
      else this.records.delete(hash);
    }
    if (!a || 'k' in a) return undefined;
    this.used.add(hash);
    return a;
  }

  /** A file's chunk token counts (chunks.ts) and block terms, stored beside its analysis. */
  getCounts(hash: string): Counts | undefined {
    this.load();
    const key = hash + COUNTS;
    let r = this.records.get(key);
    if (typeof r === 'string') {
      r = parseCounts(r, key);
      if (r) this.records.set(key, r);
      else this.records.delete(key);
    }
    if (!r) return undefined;
    this.used.add(key);
    return 'k' in r ? r : undefined;
  }

  putCounts(hash: string, r: Counts): void {
    this.load();
    const key = hash + COUNTS;
    this.records.set(key, r);
    this.used.add(key);
    this.fresh.push([key, r]);
  }

  put(hash: string, a: Analysis): void {
    this.load();
    this.records.set(hash, a);
    this.used.add(hash);
    this.fresh.push([hash, a]);
  }

  /**
   * Appends new records. When the file passes COMPACT_AT bytes it is rewritten as the most
   * recently used records up to KEEP_BYTES: file order is recency (this run's records go last),
   * so checkouts of nearby commits, which share most of their files, keep hitting.
   */
  flush(): void {
    if (!this.file || this.fresh.length === 0) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const lines = this.fresh.map(([h, a]) => JSON.stringify([h, a])).join('\n') + '\n';
      if (this.fileBytes + lines.length > COMPACT_AT) {
        const line = (h: string) => {
          const r = this.records.get(h);
          return typeof r === 'string' ? r : JSON.stringify([h, r]);
        };
        const recent = [...this.used].map(line);
        let bytes = recent.reduce((n, l) => n + l.length + 1, 0);
        const older: string[] = [];
        const rest = [...this.records.keys()].filter((h) => !this.used.has(h));
        for (let i = rest.length - 1; i >= 0 && bytes < KEEP_BYTES; i--) {
          const l = line(rest[i]);
          bytes += l.length + 1;
          older.push(l);
        }
        const tmp = `${this.file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, [...older.reverse(), ...recent].join('\n') + '\n');
        fs.renameSync(tmp, this.file);
        this.fileBytes = bytes;
      } else {
        fs.appendFileSync(this.file, lines);
        this.fileBytes += lines.length;
      }
      this.fresh.length = 0;
    } catch {
      /* a read-only temp dir only costs speed */
    }
  }
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
