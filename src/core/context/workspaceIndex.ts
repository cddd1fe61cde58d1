import path from 'node:path';
import type { Withheld } from '../events';
import type { WorkspacePort, WorkspaceRoot } from './types';
import { createIgnoreFilter, type IgnoreFilter } from './ignore';
import { pathTerms, terms } from './terms';
import { CODE_FILE, loadResolverConfig, parseImports, resolveImport, type ImportRef, type ResolverConfig } from './imports';
import { topLevelSymbols } from './blocks';
import { AnalysisCache, type Counts } from './analysisCache';
import { isSecretTarget, mayContainSecrets, redactSecrets } from './secrets';
import { fileChunks, type FileChunks } from './chunks';

/**
 * What the engine knows about a workspace: the files that may become context, their terms
 * (for BM25), import edges and top-level symbols. Built per request by the CLI; kept warm in
 * the extension, where file-system events mark single files stale so a repeat request only
 * re-reads what changed.
 */
export interface FileEntry {
  readonly key: string; // `${rootIndex}:${rel}`
  readonly rootIndex: number;
  readonly rel: string;
  readonly abs: string;
  text?: string;
  /** Term counts over the content, flattened [term, count, ...]; path terms are kept apart. Set once read. */
  tf?: Array<string | number>;
  len: number;
  pathTerms: string[];
  imports?: ImportRef[];
  resolved?: string[]; // keys of imported files, parallel to imports (undefined entries dropped)
  importedNames?: Map<string, string[]>; // imported file key -> names
  symbols?: Array<{ name: string; line: number; exported: boolean }>;
  /** Content key of the text read (hash + kind): analyses and chunk counts are cached by it. */
  contentKey?: string;
  /** Why it cannot be sent, when read and found unfit. */
  withheld?: string;
  /** The text after secret redaction (so it is redacted once per content) and how many lines. */
  redactedFrom?: string;
  redactions?: number;
}

export interface IndexOptions {
  readonly exclude?: string[];
  readonly maxFileSizeKB?: number;
  readonly maxFiles?: number;
  /** Where analyses are cached across processes (default: OS temp dir); null: not at all. */
  readonly cacheDir?: string | null;
}

/** Files worth reading for matching; others (images are already excluded) are listed only. */
const TEXT_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte|json|jsonc|md|mdx|css|scss|less|html|yml|yaml|toml|graphql|gql|sql|sh|py|go|rs|java|kt|rb|php|c|h|cc|cpp|hpp|cs|swift|txt)$/i;

export class WorkspaceIndex {
  readonly files = new Map<string, FileEntry>();
  private readonly byRel: Array<Set<string>> = [];
  withheld: Withheld[] = [];
  /** True when the last refresh was cut short (time limit, file cap, abort). */
  partial = false;
  /** Grows whenever the listing or any file's content changed. */
  version = 0;
  private listed = false;
  private listedOnce = false;
  private stale = new Set<string>();
  private filters: IgnoreFilter[] = [];
  resolver: ResolverConfig[] = [];
  avgLen = 1;
  private dfDirty = true;
  importers = new Map<string, Set<string>>();
  private edgesDirty = true;
  private readonly disposable?: { dispose(): void };
  private readonly cache: AnalysisCache;
  private readonly chunkMemo = new Map<string, FileChunks>();
  private readonly packMemo = new Map<string, Counts>();
  private readonly packDirty = new Set<string>();

  constructor(readonly port: WorkspacePort, readonly opts: IndexOptions = {}) {
    this.disposable = port.onDidChange?.((abs) => this.invalidate(abs));
    this.cache = AnalysisCache.atDefault(opts.cacheDir);
  }

  dispose(): void {
    this.disposable?.dispose();
  }

  roots(): readonly WorkspaceRoot[] {
    return this.port.roots();
  }

  /** Marks a file stale; a file unknown to the index (created) makes the listing stale. */
  invalidate(abs: string): void {
    const hit = this.locate(abs);
    if (hit && this.files.has(hit.key)) {
      this.stale.add(hit.key);
      if (/(^|\/)(\.gitignore|\.ponderignore|tsconfig[\w.-]*\.json|package\.json)$/.test(hit.rel)) this.listed = false;
    } else this.listed = false;
  }

  /** root index + rel for an absolute path inside a root. */
  locate(abs: string): { rootIndex: number; rel: string; key: string } | undefined {
    const roots = this.port.roots();
    const norm = path.resolve(abs);
    for (let i = 0; i < roots.length; i++) {
      const r = roots[i].path;
      if (norm === r || norm.startsWith(r + path.sep)) {
        const rel = path.relative(r, norm).split(path.sep).join('/');
        return { rootIndex: i, rel, key: `${i}:${rel}` };
      }
    }
    return undefined;
  }

  has(rootIndex: number, rel: string): boolean {
    return this.byRel[rootIndex]?.has(rel) ?? false;
  }

  /** Lists (if needed) and reads every stale or new file, within the deadline. */
  async refresh(deadline: number, signal?: AbortSignal): Promise<void> {
    let partial = false;
    if (!this.listed) {
      partial = (await this.list(deadline, signal)) || partial;
    }
    const todo = [...this.files.values()].filter((f) => f.tf === undefined && f.withheld === undefined || this.stale.has(f.key));
    // Read in parallel batches: the file system (or workspace.fs) answers faster that way.
    const batch = 32;
    for (let i = 0; i < todo.length; i += batch) {
      if (Date.now() > deadline || signal?.aborted) {
        partial = true;
        break;
      }
      await Promise.all(todo.slice(i, i + batch).map((f) => this.read(f)));
    }
    for (const f of todo) {
      this.stale.delete(f.key);
      // Deleted since it was listed: forget it.
      if (f.withheld === 'gone') {
        this.files.delete(f.key);
        this.byRel[f.rootIndex]?.delete(f.rel);
      }
    }
    if (todo.length > 0 || !this.listedOnce) {
      this.listedOnce = true;
      this.version++;
      this.dfDirty = true;
      this.edgesDirty = true;
    }
    this.partial = partial;
  }

  private async list(deadline: number, signal?: AbortSignal): Promise<boolean> {
    const roots = this.port.roots();
    let partial = false;
    const withheld: Withheld[] = [];
    const seen = new Set<string>();
    this.filters = [];
    this.resolver = [];
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i];
      const prefix = roots.length > 1 ? root.name + '/' : '';
      // First pass lists everything not vendored to find nested .gitignore files, then filters.
      const base = await createIgnoreFilter(root, this.port, this.opts);
      const controller = new AbortController();
      // The listing always gets a moment, even when reading ignore files used up the time limit
      // (a cold editor): an empty listing helps no one.
      const listMs = Math.max(1500, deadline - Date.now());
      const timer = setTimeout(() => controller.abort(), listMs);
      signal?.addEventListener('abort', () => controller.abort(), { once: true });
      const listed = await this.port.listFiles(root, {
        skipDir: (rel) => {
          const why = base.dirReason(rel);
          // Folders the user excluded are named in the trace; vendored/ignored ones are routine.
          if (why && /exclude/.test(why)) withheld.push({ path: prefix + rel + '/', reason: why });
          return !!why;
        },
        maxFiles: this.opts.maxFiles ?? 50000,
        signal: controller.signal,
        deadline: Date.now() + listMs,
      });
      clearTimeout(timer);
      partial = partial || listed.truncated;
      const nested = listed.files.filter((f) => f.endsWith('/.gitignore'));
        const filter = nested.length > 0 ? await createIgnoreFilter(root, this.port, this.opts, nested) : base;
      this.filters[i] = filter;
      const rels = new Set<string>();
      for (const rel of listed.files) {
        // A file under a directory ignored by nested rules is ignored too (the walk already
        // skipped the directories the root rules ignore).
        const why = filter.fileReason(rel) ?? filter.nestedDirReason(rel);
        if (why) {
          if (!/^(vendored|binary|generated|ignored)/.test(why) || /secret/.test(why)) withheld.push({ path: prefix + rel, reason: why });
          continue;
        }
        rels.add(rel);
        const key = `${i}:${rel}`;
        seen.add(key);
        if (!this.files.has(key)) {
          this.files.set(key, { key, rootIndex: i, rel, abs: path.join(root.path, rel), len: 0, pathTerms: pathTerms(rel) });
        }
      }
      this.byRel[i] = rels;
      this.resolver[i] = await loadResolverConfig([...rels], (rel) => this.port.readFile(path.join(root.path, rel)));
    }
    for (const key of [...this.files.keys()]) if (!seen.has(key)) this.files.delete(key);
    this.withheld = withheld;
    // A listing that found nothing before the time limit is redone on the next request (a cold
    // editor's search catches up); a huge repository cut at the file cap is not relisted each time.
    this.listed = !(partial && this.files.size === 0);
    this.version++;
    this.dfDirty = true;
    this.edgesDirty = true;
    return partial;
  }

  /** Reads one file now (the active file, when a time limit stopped reading before it). */
  async readNow(f: FileEntry): Promise<FileEntry> {
    await this.read(f);
    this.stale.delete(f.key);
    this.version++;
    this.dfDirty = true;
    this.edgesDirty = true;
    return f;
  }

  private async read(f: FileEntry): Promise<void> {
    f.withheld = undefined;
    f.tf = undefined;
    f.text = undefined;
    f.contentKey = undefined;
    if (!TEXT_FILE.test(f.rel)) {
      // Listed (the repository map shows it) but never read or sent as context.
      f.tf = [];
      return;
    }
    const st = await this.port.stat(f.abs);
    const filter = this.filters[f.rootIndex];
    if (!st) {
      f.withheld = 'gone';
      return;
    }
    const sizeWhy = filter.contentReason(f.rel, st.size);
    if (sizeWhy) {
      f.withheld = sizeWhy;
      return;
    }
    // Whatever listed it (the CLI's walk, the editor's file search): a link to a secret file is secret.
    if (isSecretTarget(f.abs)) {
      f.withheld = 'secret file (never sent)';
      return;
    }
    const text = await this.port.readFile(f.abs);
    if (text === undefined) {
      f.withheld = 'unreadable';
      return;
    }
    const why = filter.contentReason(f.rel, Buffer.byteLength(text), text);
    if (why) {
      f.withheld = why;
      return;
    }
    f.text = text;
    const code = CODE_FILE.test(f.rel);
    const key = AnalysisCache.hash(text) + (code ? 'c' : 't');
    f.contentKey = key;
    let a = this.cache.get(key);
    if (!a) {
      const counts = new Map<string, number>();
      // Terms of the redacted text: the cache on disk never holds pieces of a credential.
      const ts = terms(mayContainSecrets(text) ? redactSecrets(text).text : text);
      for (const t of ts) counts.set(t, (counts.get(t) ?? 0) + 1);
      const flat: Array<string | number> = [];
      for (const [t, n] of counts) flat.push(t, n);
      a = { tf: flat, len: ts.length, imports: code ? parseImports(text) : [], symbols: code ? topLevelSymbols(text) : [] };
      this.cache.put(key, a);
    }
    // Kept flat: BM25 scans it for the few query terms, so no per-file Map is built per call.
    f.tf = a.tf;
    f.len = a.len;
    f.imports = a.imports;
    f.symbols = a.symbols;
  }

  /** What packing learned about a file's content (Counts), from memory or the shared cache. */
  private packData(key: string): Counts {
    let d = this.packMemo.get(key);
    if (!d) {
      d = { ...(this.cache.getCounts(key) ?? {}) };
      if (this.packMemo.size > 5000) this.packMemo.clear();
      this.packMemo.set(key, d);
    }
    return d;
  }

  /**
   * Redacts credential-looking lines in a file's text before any of it is used (once per
   * content: the result is kept with its pack data, the scan is slow on files full of test tokens).
   */
  redact(f: FileEntry): void {
    if (f.text === undefined || f.redactedFrom === f.text) return;
    const d = f.contentKey ? this.packData(f.contentKey) : undefined;
    if (d?.rn === undefined || (d.rn > 0 && !d.red)) {
      const r = redactionOf(f.text);
      if (d) {
        d.rn = r.redactions;
        if (r.redactions > 0) d.red = r.redacted;
        this.packDirty.add(f.contentKey!);
      }
      f.text = f.redactedFrom = r.text;
      f.redactions = r.redactions;
      return;
    }
    if (d.rn > 0 && d.red) {
      const lines = f.text.split('\n');
      for (const [i, line] of d.red) if (i >= 0 && i < lines.length) lines[i] = line;
      f.text = lines.join('\n');
    }
    f.redactedFrom = f.text;
    f.redactions = d.rn;
  }

  /**
   * A file's chunk token counts (chunks.ts) for `lines`, its text as packed: kept per content
   * in memory and in the shared cache, so a file packed before is not tokenized again.
   */
  chunkCounts(f: FileEntry, lines: readonly string[]): FileChunks {
    const key = f.contentKey;
    if (!key) return fileChunks(lines);
    let c = this.chunkMemo.get(key);
    if (!c || c.lines.length !== lines.length) {
      const saved = this.packData(key);
      c = fileChunks(lines, saved.k);
      if (saved.b) c.blockTerms = saved.b.map((t) => (t ? t.split(' ') : []));
      if (saved.bl) c.blocks = saved.bl;
      if (this.chunkMemo.size > 5000) this.chunkMemo.clear();
      this.chunkMemo.set(key, c);
    }
    return c;
  }

  /** Writes newly analysed files and new chunk counts to the shared cache (once per request). */
  flushCache(): void {
    for (const [key, c] of this.chunkMemo) {
      if (!c.dirty) continue;
      const d = this.packData(key);
      d.k = c.counts;
      if (c.blockTerms) d.b = c.blockTerms.map((t) => t.join(' '));
      if (c.blocks) d.bl = c.blocks;
      this.packDirty.add(key);
      c.dirty = false;
    }
    for (const key of this.packDirty) this.cache.putCounts(key, this.packData(key));
    this.packDirty.clear();
    this.cache.flush();
  }

  /** Average document length (terms) for BM25 (recomputed after changes). */
  stats(): void {
    if (!this.dfDirty) return;
    let total = 0;
    let n = 0;
    for (const f of this.files.values()) {
      if (!f.tf) continue;
      n++;
      total += f.len + f.pathTerms.length;
    }
    this.avgLen = n ? total / n : 1;
    this.dfDirty = false;
  }

  /** Resolves every file's imports and builds the reverse edges. */
  edges(): void {
    if (!this.edgesDirty) return;
    const importers = new Map<string, Set<string>>();
    const bare = new Map<string, string | undefined>();
    for (const f of this.files.values()) {
      if (!f.imports) continue;
      const set = this.byRel[f.rootIndex];
      const resolved: string[] = [];
      const names = new Map<string, string[]>();
      for (const imp of f.imports) {
        let rel: string | undefined;
        if (imp.spec.startsWith('.')) rel = resolveImport(f.rel, imp.spec, set, this.resolver[f.rootIndex]);
        else {
          // A bare specifier resolves the same from every file of a root: once per pass.
          const memoKey = `${f.rootIndex}:${imp.spec}`;
          if (bare.has(memoKey)) rel = bare.get(memoKey);
          else bare.set(memoKey, (rel = resolveImport(f.rel, imp.spec, set, this.resolver[f.rootIndex])));
        }
        if (!rel || rel === f.rel) continue;
        const key = `${f.rootIndex}:${rel}`;
        resolved.push(key);
        names.set(key, [...(names.get(key) ?? []), ...imp.names]);
        let s = importers.get(key);
        if (!s) importers.set(key, (s = new Set()));
        s.add(f.key);
      }
      f.resolved = resolved;
      f.importedNames = names;
    }
    this.importers = importers;
    this.edgesDirty = false;
  }

  /** Display path: root-relative, prefixed with the root's name in multi-root workspaces. */
  display(f: FileEntry): string {
    const roots = this.port.roots();
    return roots.length > 1 ? `${roots[f.rootIndex].name}/${f.rel}` : f.rel;
  }
}


/** `text` redacted, and the lines redaction changed (it keeps the line count), for the cache. */
function redactionOf(text: string): { text: string; redacted: Array<[number, string]>; redactions: number } {
  if (!mayContainSecrets(text)) return { text, redacted: [], redactions: 0 };
  const r = redactSecrets(text);
  const before = text.split('\n');
  const after = r.text.split('\n');
  const redacted: Array<[number, string]> = [];
  for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) redacted.push([i, after[i]]);
  return { text: r.text, redacted, redactions: r.redactions.length };
}
