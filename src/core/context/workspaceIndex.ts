import path from 'node:path';
import type { Withheld } from '../events';
import type { WorkspaceRoot } from './types';
import { createIgnoreFilter, type IgnoreFilter } from './ignore';
import { pathTerms, terms } from './terms';
import { CODE_FILE, loadResolverConfig, parseImports, resolveImport, type ImportRef, type ResolverConfig } from './imports';
import { topLevelSymbols } from './blocks';
import { ANALYSIS_VERSION, AnalysisCache, type PackData } from '../cache';
import { isSecretTarget, mayContainSecrets, redactSecrets } from './secrets';
import { fileChunks, type FileChunks } from './chunks';
import { RACY_MS, SNAPSHOT_VERSION, fileStat, folderMtime, foldersOf, loadSnapshot, saveSnapshot, snapshotPath, type SnapFile, type Snapshot } from './snapshot';
import type { EditorReader, FileList } from '../editor/port';
import { MAP_FORMAT, repoMapBlocks } from './repoMap';

/** Files read even past the time limit, nearest the active file first. */
const MIN_READ = 256;
/** The term counts of a file whose terms live in the on-disk snapshot's postings (see postings()). */
const IN_SNAPSHOT: Array<string | number> = [];
/** Files whose change re-decides the listing or import resolution. */
const RULE_FILE = /(^|\/)(\.gitignore|\.ponderignore|tsconfig[\w.-]*\.json|jsconfig[\w.-]*\.json|package\.json)$/;

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
  /** The text is not kept in memory but read when a request needs it (textOf). */
  lazy?: boolean;
  /** Size and mtime when it was read (the on-disk snapshot revalidates by them). */
  size?: number;
  mtimeMs?: number;
  /** Its analysis came from the on-disk snapshot: `root.index` of its postings there. */
  snapId?: string;
}

export interface IndexOptions {
  readonly exclude?: string[];
  readonly maxFileSizeKB?: number;
  readonly maxFiles?: number;
  /** Where analyses are cached across processes (default: OS temp dir); null: not at all. */
  readonly cacheDir?: string | null;
  /** Called (once) when a refresh has to list the workspace or read many files (PackOptions.onHeavyWork). */
  readonly onHeavyWork?: () => void;
}

/** More files to read than this, or a snapshot of more files than HEAVY_FILES, make a refresh heavy work. */
const HEAVY_READS = 400;
const HEAVY_FILES = 10_000;

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
  private readonly packMemo = new Map<string, PackData>();
  private readonly packDirty = new Set<string>();
  /** The on-disk snapshot (CLI: a port with no change events but synchronous reads). */
  private readonly snapFile?: string;
  private snap?: Snapshot;
  private snapTried = false;
  /** The snapshot's files by [root][index], as taken from it (its postings name files so). */
  private snapEntries: Array<Array<FileEntry | undefined>> = [];
  /** postings() per term, for the current version (BM25 asks for a term several times a request). */
  private postMemo = { version: -1, terms: new Map<string, Array<[FileEntry, number]>>() };
  private snapDirty = false;
  private heavyTold = false;
  private listTruncated = false;
  /** Per root, the folders a time limit kept the walk from (walked on by the next refresh). */
  private pending: string[][] = [];
  /** A root's listing stopped at the file cap (not walked on). */
  private capped = false;
  /** The repository map's folder blocks (repoMap.ts) for a version: from the snapshot when nothing changed since it was written. */
  private blocks?: { version: number; blocks: readonly string[] };
  /** Inverted index over the term counts held in memory (tf), built when first needed per version. */
  private inv?: { version: number; terms: Map<string, Array<[FileEntry, number]>>; paths: Map<string, FileEntry[]>; analysed: number };

  constructor(readonly port: EditorReader, readonly opts: IndexOptions = {}) {
    this.disposable = port.onDidChange?.((abs) => this.invalidate(abs));
    this.cache = AnalysisCache.atDefault(opts.cacheDir);
    if (!port.onDidChange && port.readFileSync && opts.cacheDir !== null) {
      this.snapFile = snapshotPath(opts.cacheDir ?? undefined, port.roots().map((r) => r.path), JSON.stringify([ANALYSIS_VERSION, opts.exclude ?? [], opts.maxFileSizeKB ?? null, opts.maxFiles ?? null]));
    }
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
  async refresh(deadline: number, signal?: AbortSignal, near?: string): Promise<void> {
    let partial = false;
    if (!this.listed && this.snapFile && !this.snapTried) {
      this.snapTried = true;
      this.snap = loadSnapshot(this.snapFile);
      if (this.snap && this.snap.roots.reduce((n, r) => n + r.length, 0) > HEAVY_FILES) this.heavy();
      if (this.snap && (await this.reuseListing(this.snap))) {
        partial = this.listTruncated;
        // A listing a time limit cut is walked on from where it stopped, not trusted as whole.
        if (this.pending.some((p) => p.length > 0)) {
          this.heavy();
          partial = await this.listRest(deadline, signal);
          this.listTruncated = partial;
          this.snapDirty = true;
        }
      } else this.snapDirty = true;
    }
    if (!this.listed) {
      this.heavy();
      partial = (await this.list(deadline, signal)) || partial;
      this.listTruncated = partial;
    }
    // The time limit is for the whole call: what follows reading (ranking, packing, writing the
    // snapshot) grows with the listing, so on a huge repository reading stops early enough for it.
    const readUntil = deadline - Math.min(2000, Math.round(this.files.size * 0.04));
    if (this.snap && this.snapDirty) await this.adoptUnchanged(this.snap, readUntil);
    const todo = [...this.files.values()].filter((f) => f.tf === undefined && f.withheld === undefined || this.stale.has(f.key));
    // When the time limit may cut reading short (a huge repository), what is read first is what
    // the partial result knows: the files nearest the one being edited.
    if (near && todo.length > 2000) nearestFirst(todo, this.locate(near)?.rel);
    if (todo.length > HEAVY_READS) this.heavy();
    // Read in parallel batches: the file system (or workspace.fs) answers faster that way.
    const batch = 32;
    for (let i = 0; i < todo.length; i += batch) {
      // Past the time limit, the nearest few hundred files are still read: a partial result needs a neighbourhood.
      if ((Date.now() > readUntil && !(near && i < MIN_READ)) || signal?.aborted) {
        partial = true;
        break;
      }
      await Promise.all(todo.slice(i, i + batch).map((f) => this.read(f)));
    }
    if (todo.some((f) => f.tf !== undefined || f.withheld !== undefined)) this.snapDirty = true;
    for (const f of todo) {
      this.stale.delete(f.key);
      // Deleted since it was listed: forget it.
      if (f.withheld === 'gone') {
        this.files.delete(f.key);
        this.byRel[f.rootIndex]?.delete(f.rel);
      }
    }
    await this.ensureResolvers();
    if (todo.length > 0 || !this.listedOnce) {
      this.listedOnce = true;
      this.version++;
      this.dfDirty = true;
      this.edgesDirty = true;
    }
    this.partial = partial;
    // Nothing learned since the snapshot was written: its map blocks are this index's.
    if (this.snap && !this.snapDirty && this.blocks?.version !== this.version && validBlocks(this.snap.b)) this.blocks = { version: this.version, blocks: this.snap.b.blocks };
  }

  private heavy(): void {
    const hook = this.opts.onHeavyWork;
    if (!hook || this.heavyTold) return;
    this.heavyTold = true;
    hook();
  }

  private async list(deadline: number, signal?: AbortSignal): Promise<boolean> {
    const roots = this.port.roots();
    let partial = false;
    const withheld: Withheld[] = [];
    const seen = new Set<string>();
    this.filters = [];
    this.resolver = [];
    this.pending = [];
    this.capped = false;
    for (let i = 0; i < roots.length; i++) {
      const root = roots[i];
      const prefix = roots.length > 1 ? root.name + '/' : '';
      // First pass lists everything not vendored to find nested .gitignore files, then filters.
      const base = await createIgnoreFilter(root, this.port, this.opts);
      const listed = await this.walk(i, base, withheld, deadline, signal, { maxFiles: this.opts.maxFiles ?? 50000 });
      partial = partial || listed.truncated;
      const nested = listed.files.filter((f) => f.endsWith('/.gitignore'));
        const filter = nested.length > 0 ? await createIgnoreFilter(root, this.port, this.opts, nested) : base;
      this.filters[i] = filter;
      const rels = new Set<string>();
      const folderTerms = new Map<string, string[]>();
      for (const rel of listed.files) {
        if (leftOut(filter, prefix + rel, rel, withheld)) continue;
        rels.add(rel);
        const key = `${i}:${rel}`;
        seen.add(key);
        if (!this.files.has(key)) this.files.set(key, listedEntry(i, root.path, rel, folderTerms));
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

  /**
   * One timed walk of root `i` (from `start` when given; the whole root otherwise): the root's
   * rules skip folders, and the folders a time limit left unwalked are kept in `pending[i]`.
   */
  private async walk(i: number, base: IgnoreFilter, withheld: Withheld[], deadline: number, signal: AbortSignal | undefined, opts: { start?: string[]; maxFiles: number }): Promise<FileList> {
    const root = this.port.roots()[i];
    const prefix = this.port.roots().length > 1 ? root.name + '/' : '';
    const controller = new AbortController();
    // The listing always gets a moment, even when reading ignore files used up the time limit
    // (a cold editor): an empty listing helps no one.
    const listMs = Math.max(1500, deadline - Date.now());
    const timer = setTimeout(() => controller.abort(), listMs);
    signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const listed = await this.port.listFiles(root, {
      ...(opts.start ? { start: opts.start } : {}),
      skipDir: (rel) => {
        const why = base.dirReason(rel);
        // Folders the user excluded are named in the trace; vendored/ignored ones are routine.
        if (why && /exclude/.test(why)) withheld.push({ path: prefix + rel + '/', reason: why });
        return !!why;
      },
      maxFiles: opts.maxFiles,
      signal: controller.signal,
      deadline: Date.now() + listMs,
    });
    clearTimeout(timer);
    this.pending[i] = listed.truncated ? listed.pending ?? [] : [];
    if (listed.truncated && !listed.pending) this.capped = true;
    return listed;
  }

  /**
   * Walks the folders a time-limited listing did not reach (root rules skip folders as in list(),
   * nested .gitignore files, known and new, decide the new files) and adds what it finds.
   * Returns whether the listing is still incomplete.
   */
  private async listRest(deadline: number, signal?: AbortSignal): Promise<boolean> {
    const roots = this.port.roots();
    const pending = this.pending;
    this.pending = [];
    for (let i = 0; i < roots.length; i++) {
      const start = pending[i] ?? [];
      this.pending[i] = [];
      if (start.length === 0) continue;
      const root = roots[i];
      const prefix = roots.length > 1 ? root.name + '/' : '';
      const rels = (this.byRel[i] ??= new Set());
      const base = await createIgnoreFilter(root, this.port, this.opts);
      const listed = await this.walk(i, base, this.withheld, deadline, signal, { start, maxFiles: Math.max(0, (this.opts.maxFiles ?? 50000) - rels.size) });
      const nested = [...rels, ...listed.files].filter((f) => f.endsWith('/.gitignore'));
      const filter = nested.length > 0 ? await createIgnoreFilter(root, this.port, this.opts, nested) : base;
      const folderTerms = new Map<string, string[]>();
      for (const rel of listed.files) {
        if (leftOut(filter, prefix + rel, rel, this.withheld)) continue;
        const key = `${i}:${rel}`;
        if (this.files.has(key)) continue;
        rels.add(rel);
        this.files.set(key, listedEntry(i, root.path, rel, folderTerms));
      }
    }
    // New manifests and tsconfig files may change how imports resolve: the rules are read again.
    this.filters = [];
    this.resolver = [];
    this.version++;
    this.dfDirty = true;
    this.edgesDirty = true;
    return this.capped || this.pending.some((p) => p.length > 0);
  }

  /** Reads one file now (the active file, when a time limit stopped reading before it). */
  async readNow(f: FileEntry): Promise<FileEntry> {
    await this.read(f);
    this.textOf(f);
    await this.ensureResolvers();
    this.snapDirty = true;
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
    const filter = this.filters[f.rootIndex] ?? (this.filters[f.rootIndex] = await this.filterFor(f.rootIndex));
    if (!st) {
      f.withheld = 'gone';
      return;
    }
    f.size = st.size;
    f.mtimeMs = st.mtimeMs;
    f.snapId = undefined;
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
      a = { termCounts: flat, termTotal: ts.length, imports: code ? parseImports(text) : [], symbols: code ? topLevelSymbols(text) : [] };
      this.cache.put(key, a);
    }
    // Kept flat: BM25 scans it for the few query terms, so no per-file Map is built per call.
    f.tf = a.termCounts;
    f.len = a.termTotal;
    f.imports = a.imports;
    f.symbols = a.symbols;
    // The CLI keeps analyses, not texts: a file is read again only if a request packs it.
    if (this.snapFile) {
      f.text = undefined;
      f.lazy = true;
    }
  }

  /** Import resolution rules per root, loaded when a file whose imports need resolving has none. */
  private async ensureResolvers(): Promise<void> {
    const roots = this.port.roots();
    for (let i = 0; i < roots.length; i++) {
      if (this.resolver[i]) continue;
      let needed = false;
      for (const f of this.files.values()) if (f.rootIndex === i && f.tf !== IN_SNAPSHOT && f.imports?.length) needed = true;
      if (!needed) continue;
      const rels = [...(this.byRel[i] ?? [])];
      this.resolver[i] = await loadResolverConfig(rels, (rel) => this.port.readFile(path.join(roots[i].path, rel)));
    }
  }

  /** A file's text, read now if it was not kept in memory (undefined when unreadable). */
  textOf(f: FileEntry): string | undefined {
    if (f.text === undefined && f.lazy && this.port.readFileSync) {
      const text = this.port.readFileSync(f.abs);
      if (text === undefined || text.includes('\u0000')) {
        f.lazy = false;
        f.withheld = 'unreadable';
        this.blocks = undefined;
        return undefined;
      }
      f.text = text;
      f.redactedFrom = undefined;
    }
    return f.text;
  }

  /** The ignore rules of a root (root and nested .gitignore files, .ponderignore, excludes). */
  private async filterFor(rootIndex: number): Promise<IgnoreFilter> {
    const root = this.port.roots()[rootIndex];
    const nested = [...(this.byRel[rootIndex] ?? [])].filter((rel) => rel.endsWith('/.gitignore'));
    return createIgnoreFilter(root, this.port, this.opts, nested);
  }

  /**
   * The listing, analyses and import edges of the snapshot, when no folder and no rule file
   * changed since it was written; files whose size or mtime changed are left to be read.
   */
  private async reuseListing(snap: Snapshot): Promise<boolean> {
    const roots = this.port.roots();
    if (snap.roots.length !== roots.length) return false;
    for (const [key, mtime] of Object.entries(snap.dirs)) {
      const i = Number(key.slice(0, key.indexOf(':')));
      const rel = key.slice(key.indexOf(':') + 1);
      if (!roots[i] || folderMtime(rel ? roots[i].path + path.sep + rel : roots[i].path) !== mtime) return false;
    }
    const entries: FileEntry[] = [];
    const byId: Array<Array<FileEntry | undefined>> = [];
    for (let i = 0; i < roots.length; i++) {
      const files = snap.roots[i];
      const ids = (byId[i] = new Array<FileEntry | undefined>(files.length));
      for (let j = 0; j < files.length; j++) {
        const sf = files[j];
        const f: FileEntry = { key: `${i}:${sf.r}`, rootIndex: i, rel: sf.r, abs: roots[i].path + path.sep + sf.r, len: 0, pathTerms: sf.p !== undefined ? (sf.p ? sf.p.split(' ') : []) : pathTerms(sf.r) };
        if (!TEXT_FILE.test(sf.r)) f.tf = [];
        else {
          const st = this.port.statSync ? this.port.statSync(f.abs) : await this.port.stat(f.abs);
          const same = !!st && st.size === sf.s && st.mtimeMs === sf.m && sf.m < snap.t - RACY_MS;
          if (same && (sf.k || sf.w)) {
            this.fromSnapshot(f, sf, `${i}.${j}`, roots[i].path, files);
            ids[j] = f;
          }
          // A changed rule file re-decides the listing; one a time limit left unread is read now.
          else if (!same && RULE_FILE.test(sf.r)) return false;
        }
        entries.push(f);
      }
    }
    this.snapEntries = byId;
    this.files.clear();
    for (let i = 0; i < roots.length; i++) this.byRel[i] = new Set();
    for (const f of entries) {
      this.files.set(f.key, f);
      this.byRel[f.rootIndex].add(f.rel);
    }
    this.filters = [];
    this.resolver = [];
    this.withheld = snap.withheld ?? [];
    this.listTruncated = snap.truncated;
    this.pending = roots.map((_, i) => snap.pending?.[i] ?? []);
    this.capped = snap.truncated && !this.pending.some((p) => p.length > 0);
    this.listed = true;
    this.version++;
    this.dfDirty = true;
    this.edgesDirty = true;
    return true;
  }

  private fromSnapshot(f: FileEntry, sf: SnapFile, id: string, rootPath: string, files: SnapFile[]): void {
    f.size = sf.s;
    f.mtimeMs = sf.m;
    if (sf.w) {
      f.withheld = sf.w;
      return;
    }
    f.contentKey = sf.k;
    f.len = sf.n ?? 0;
    f.tf = IN_SNAPSHOT;
    f.snapId = id;
    f.lazy = true;
    f.symbols = (sf.y ?? []).map(([name, line, e]) => ({ name, line, exported: e === 1 }));
    f.imports = [];
    const names = new Map<string, string[]>();
    const resolved: string[] = [];
    for (const [j, ns] of sf.i ?? []) {
      const target = files[j];
      if (!target) continue;
      const key = `${f.rootIndex}:${target.r}`;
      resolved.push(key);
      names.set(key, ns);
    }
    f.resolved = resolved;
    f.importedNames = names;
    void rootPath;
  }

  /** After a fresh listing: files the snapshot knows unchanged take its analysis instead of being read. */
  private async adoptUnchanged(snap: Snapshot, deadline: number): Promise<void> {
    const roots = this.port.roots();
    for (let i = 0; i < roots.length && i < snap.roots.length; i++) {
      const files = snap.roots[i];
      for (let j = 0; j < files.length; j++) {
        if (Date.now() > deadline) return;
        const sf = files[j];
        const f = this.files.get(`${i}:${sf.r}`);
        if (!f || f.tf !== undefined || f.withheld !== undefined || !sf.k || !TEXT_FILE.test(sf.r) || sf.m >= snap.t - RACY_MS) continue;
        const st = await this.port.stat(f.abs);
        if (!st || st.size !== sf.s || st.mtimeMs !== sf.m) continue;
        // The listing changed, so import resolution is redone: the full analysis (imports) is needed.
        const a = this.cache.get(sf.k);
        if (!a) continue;
        f.size = sf.s;
        f.mtimeMs = sf.m;
        f.contentKey = sf.k;
        f.tf = a.termCounts;
        f.len = a.termTotal;
        f.imports = a.imports;
        f.symbols = a.symbols;
        f.lazy = true;
      }
    }
  }

  /** The repository map's folder blocks, shallow first (repoMap.ts), kept per version. */
  mapBlocks(): readonly string[] {
    if (this.blocks?.version !== this.version) this.blocks = { version: this.version, blocks: repoMapBlocks(this.files.values(), (f) => this.display(f)) };
    return this.blocks.blocks;
  }

  /**
   * Files whose text holds `term`, with its count: from the snapshot's postings for files
   * analysed there, and from an inverted index over the term counts held in memory.
   */
  postings(term: string): Array<[FileEntry, number]> {
    const inv = this.inverted();
    if (this.postMemo.version !== this.version) this.postMemo = { version: this.version, terms: new Map() };
    const hit = this.postMemo.terms.get(term);
    if (hit) return hit;
    const mine = inv.terms.get(term) ?? [];
    const s = this.snap?.post[term];
    const out = s ? [...mine] : mine;
    // "root.index:count,..." read digit by digit: a common term has a posting per file.
    if (s) {
      let r = 0;
      let j = 0;
      let n = 0;
      let at = 0; // 0: root, 1: index, 2: count
      for (let k = 0; k <= s.length; k++) {
        const c = k < s.length ? s.charCodeAt(k) : 44;
        if (c >= 48 && c <= 57) {
          if (at === 0) r = r * 10 + c - 48;
          else if (at === 1) j = j * 10 + c - 48;
          else n = n * 10 + c - 48;
        } else if (c === 46) at = 1;
        else if (c === 58) at = 2;
        else if (c === 44) {
          const f = this.snapEntries[r]?.[j];
          // Read again since (changed on disk): its terms are in memory now, not in these postings.
          if (f && f.tf === IN_SNAPSHOT && f.snapId !== undefined) out.push([f, n]);
          r = j = n = at = 0;
        }
      }
    }
    this.postMemo.terms.set(term, out);
    return out;
  }

  /** Files whose path holds `term`. */
  pathPostings(term: string): FileEntry[] {
    return this.inverted().paths.get(term) ?? [];
  }

  /** How many files have analysed text (BM25's N). */
  analysedCount(): number {
    return this.inverted().analysed;
  }

  private inverted(): NonNullable<WorkspaceIndex['inv']> {
    if (this.inv && this.inv.version === this.version) return this.inv;
    const terms = new Map<string, Array<[FileEntry, number]>>();
    const paths = new Map<string, FileEntry[]>();
    let analysed = 0;
    for (const f of this.files.values()) {
      if (!f.tf) continue;
      analysed++;
      const tf = f.tf;
      for (let i = 0; i < tf.length; i += 2) {
        const t = tf[i] as string;
        let a = terms.get(t);
        if (!a) terms.set(t, (a = []));
        a.push([f, tf[i + 1] as number]);
      }
      const pt = f.pathTerms;
      for (let k = 0; k < pt.length; k++) {
        const p = pt[k];
        if (pt.indexOf(p) !== k) continue; // once per file (a path has a handful of terms)
        let a = paths.get(p);
        if (!a) paths.set(p, (a = []));
        a.push(f);
      }
    }
    this.inv = { version: this.version, terms, paths, analysed };
    return this.inv;
  }

  /** Writes the snapshot when this run learned something (the CLI; once per request). */
  private saveSnapshot(): void {
    if (!this.snapFile || !this.snapDirty) return;
    const roots = this.port.roots();
    const out: Snapshot = { v: SNAPSHOT_VERSION, t: Date.now(), truncated: this.listTruncated, dirs: {}, roots: [], post: {}, withheld: this.withheld };
    if (this.pending.some((p) => p.length > 0)) out.pending = this.pending;
    const ids = new Map<FileEntry, string>();
    const carried = new Map<string, string>(); // old snapshot id -> new id
    for (let i = 0; i < roots.length; i++) {
      const list = [...this.files.values()].filter((f) => f.rootIndex === i);
      const index = new Map(list.map((f, j) => [f.key, j]));
      out.roots.push(list.map((f, j) => {
        const sf: SnapFile = { r: f.rel, s: f.size ?? -1, m: f.mtimeMs ?? -1, p: f.pathTerms.join(' ') };
        // A rule file a time limit left unread: its size and mtime still tell the next call whether it changed.
        if (f.size === undefined && RULE_FILE.test(f.rel)) {
          const st = fileStat(f.abs);
          if (st) [sf.s, sf.m] = st;
        }
        ids.set(f, `${i}.${j}`);
        if (f.snapId) carried.set(f.snapId, `${i}.${j}`);
        if (f.withheld && f.withheld !== 'gone') sf.w = f.withheld;
        else if (f.contentKey && f.tf) {
          sf.k = f.contentKey;
          sf.n = f.len;
          if (f.symbols?.length) sf.y = f.symbols.map((y) => [y.name, y.line, y.exported ? 1 : 0]);
          const imps: Array<[number, string[]]> = [];
          for (const key of f.resolved ?? []) {
            const j2 = index.get(key);
            if (j2 !== undefined) imps.push([j2, f.importedNames?.get(key) ?? []]);
          }
          if (imps.length) sf.i = imps;
        }
        return sf;
      }));
      for (const d of foldersOf(list.map((f) => f.rel))) out.dirs[`${i}:${d}`] = folderMtime(path.join(roots[i].path, d));
    }
    const post = new Map<string, string[]>();
    const add = (t: string, entry: string) => {
      let a = post.get(t);
      if (!a) post.set(t, (a = []));
      a.push(entry);
    };
    for (const [t, s] of Object.entries(this.snap?.post ?? {})) {
      for (const part of s.split(',')) {
        const colon = part.indexOf(':');
        const id = carried.get(part.slice(0, colon));
        if (id) add(t, id + part.slice(colon));
      }
    }
    for (const f of this.files.values()) {
      if (!f.tf || f.tf === IN_SNAPSHOT || !f.contentKey || f.withheld) continue;
      const id = ids.get(f)!;
      for (let k = 0; k < f.tf.length; k += 2) add(f.tf[k] as string, `${id}:${f.tf[k + 1]}`);
    }
    for (const [t, a] of post) out.post[t] = a.join(',');
    out.b = { v: MAP_FORMAT, blocks: this.mapBlocks() };
    saveSnapshot(this.snapFile, out);
    this.snapDirty = false;
  }

  /** What packing learned about a file's content (PackData), from memory or the shared cache. */
  private packData(key: string): PackData {
    let d = this.packMemo.get(key);
    if (!d) {
      d = { ...(this.cache.getPackData(key) ?? {}) };
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
    this.textOf(f);
    if (f.text === undefined || f.redactedFrom === f.text) return;
    const d = f.contentKey ? this.packData(f.contentKey) : undefined;
    if (d?.redactionCount === undefined || (d.redactionCount > 0 && !d.redactedLines)) {
      const r = redactionOf(f.text);
      if (d) {
        d.redactionCount = r.redactions;
        if (r.redactions > 0) d.redactedLines = r.redacted;
        this.packDirty.add(f.contentKey!);
      }
      f.text = f.redactedFrom = r.text;
      f.redactions = r.redactions;
      return;
    }
    if (d.redactionCount > 0 && d.redactedLines) {
      const lines = f.text.split('\n');
      for (const [i, line] of d.redactedLines) if (i >= 0 && i < lines.length) lines[i] = line;
      f.text = lines.join('\n');
    }
    f.redactedFrom = f.text;
    f.redactions = d.redactionCount;
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
      c = fileChunks(lines, saved.chunkTokens);
      if (saved.blockTerms) c.blockTerms = saved.blockTerms.map((t) => (t ? t.split(' ') : []));
      if (saved.blocks) c.blocks = saved.blocks;
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
      d.chunkTokens = c.counts;
      if (c.blockTerms) d.blockTerms = c.blockTerms.map((t) => t.join(' '));
      if (c.blocks) d.blocks = c.blocks;
      this.packDirty.add(key);
      c.dirty = false;
    }
    for (const key of this.packDirty) this.cache.putPackData(key, this.packData(key));
    this.packDirty.clear();
    this.cache.flush();
    this.saveSnapshot();
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
      if (f.tf === IN_SNAPSHOT) {
        // Resolved when the snapshot was written, against the same listing and rules.
        for (const key of f.resolved ?? []) {
          let s = importers.get(key);
          if (!s) importers.set(key, (s = new Set()));
          s.add(f.key);
        }
        continue;
      }
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


/**
 * pathTerms(rel), with each folder's terms worked out once per listing (a folder holds many
 * files): terms never span a separator, so a path's terms are its folder's then its name's.
 */
function pathTermsIn(folders: Map<string, string[]>, rel: string): string[] {
  const slash = rel.lastIndexOf('/');
  if (slash < 0) return pathTerms(rel);
  const dir = rel.slice(0, slash);
  let d = folders.get(dir);
  if (!d) folders.set(dir, (d = terms(dir.replace(/[/._-]+/g, ' '))));
  return d.concat(pathTerms(rel.slice(slash + 1)));
}

/** Map blocks of this format, as written (a damaged snapshot's are not trusted). */
function validBlocks(b: Snapshot['b']): b is NonNullable<Snapshot['b']> {
  return !!b && b.v === MAP_FORMAT && Array.isArray(b.blocks) && b.blocks.every((x) => typeof x === 'string');
}

/** A file just listed under root `rootIndex`: known by its path only, until it is read. */
function listedEntry(rootIndex: number, rootPath: string, rel: string, folderTerms: Map<string, string[]>): FileEntry {
  return { key: `${rootIndex}:${rel}`, rootIndex, rel, abs: path.sep === '/' ? rootPath + '/' + rel : path.join(rootPath, rel), len: 0, pathTerms: pathTermsIn(folderTerms, rel) };
}

/** Sorts files by how many leading folders they share with `rel` (most first), stable otherwise. */
function nearestFirst(files: FileEntry[], rel: string | undefined): void {
  if (!rel) return;
  const mine = rel.split('/');
  const shared = (f: FileEntry) => {
    const theirs = f.rel.split('/');
    let k = 0;
    while (k < mine.length - 1 && k < theirs.length - 1 && mine[k] === theirs[k]) k++;
    return k;
  };
  const keyed = files.map((f, i) => ({ f, i, k: shared(f) }));
  keyed.sort((a, b) => b.k - a.k || a.i - b.i);
  for (let i = 0; i < files.length; i++) files[i] = keyed[i].f;
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

/**
 * Whether a listed file is left out by the ignore rules: a file under a folder that nested rules
 * ignore is ignored too (the walk already skipped the folders the root's rules ignore). Files a
 * user would want to know about (excluded, secret) are named in `withheld`; routine ones are not.
 */
function leftOut(filter: IgnoreFilter, shown: string, rel: string, withheld: Withheld[]): boolean {
  const why = filter.fileReason(rel) ?? filter.nestedDirReason(rel);
  if (!why) return false;
  if (!/^(vendored|binary|generated|ignored)/.test(why) || /secret/.test(why)) withheld.push({ path: shown, reason: why });
  return true;
}
