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
 * is append-only and compacted to the records of the latest run when it grows.
 */
export interface Analysis {
  /** Flattened term counts: [term, count, term, count, ...]. */
  tf: Array<string | number>;
  len: number;
  imports: ImportRef[];
  symbols: Array<{ name: string; line: number; exported: boolean }>;
  /** Excerpt blocks, flattened [start, end, ...] (see excerptBlocks). */
  blocks: number[];
}

const VERSION = 'v2';

export class AnalysisCache {
  private readonly records = new Map<string, Analysis>();
  private readonly used = new Set<string>();
  private readonly fresh: Array<[string, Analysis]> = [];
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
    for (const line of raw.split('\n')) {
      if (!line) continue;
      try {
        const [h, a] = JSON.parse(line) as [string, Analysis];
        if (typeof h === 'string' && a && Array.isArray(a.tf)) this.records.set(h, a);
      } catch {
        /* a torn line from a concurrent writer: skip it */
      }
    }
  }

  get(hash: string): Analysis | undefined {
    this.load();
    const a = this.records.get(hash);
    if (a) this.used.add(hash);
    return a;
  }

  put(hash: string, a: Analysis): void {
    this.load();
    this.records.set(hash, a);
    this.used.add(hash);
    this.fresh.push([hash, a]);
  }

  /** Appends new records; rewrites the file with only this run's records when it grew large. */
  flush(): void {
    if (!this.file || this.fresh.length === 0) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      const lines = this.fresh.map(([h, a]) => JSON.stringify([h, a])).join('\n') + '\n';
      if (this.fileBytes > 64 << 20 || this.records.size > Math.max(1500, this.used.size * 2)) {
        const keep = [...this.used].map((h) => JSON.stringify([h, this.records.get(h)])).join('\n') + '\n';
        const tmp = `${this.file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, keep);
        fs.renameSync(tmp, this.file);
      } else fs.appendFileSync(this.file, lines);
      this.fresh.length = 0;
    } catch {
      /* a read-only temp dir only costs speed */
    }
  }
}
