import path from 'node:path';
import type { ContextKind } from '../events';
import type { FileEntry, WorkspaceIndex } from './workspaceIndex';
import { identifiers, terms } from './terms';

/**
 * Candidate files and why. Each signal gives a weight in [0, 1] (how likely such a file is
 * needed to answer a request about the active code); a file's score combines its signals as a
 * noisy-OR, 1 - prod(1 - w), so independent evidence adds up without one signal swamping.
 *
 * The packing order is not this score but a likelihood learned over these signals and other
 * features (rank.ts); the score, on its own scale, is what packing sizes a file's excerpts by.
 *
 * Weights (set from what each relation means for any TS/JS repository):
 *   twin          0.85  same path in a parallel tree (src/x.ts vs deno_dist/x.ts, lib/ vs src/): edits land in both
 *   definition    0.75  defines a name the selection uses (imported by name, or a unique exported symbol: 0.55)
 *   open          0.50  open in another editor: the user is looking at it
 *   test          0.60  the active file's tests (by name, or a test file importing it)
 *   cochange      <=0.6 changed in the same commits as the active file (grows with the count)
 *   query         <=0.70 BM25 of the request's words over paths (x3) and contents, scaled to the best
 *   import        0.40  imported by the active file
 *   importer      <=0.35 imports the active file (shrinks when many files do: a utility's users say little)
 *   diff          0.35  changed in the working tree
 *   selection     <=0.30 BM25 of the selection's words
 *   sibling       0.12  same folder
 * Second order: the tests and twins of a strong candidate (score >= 0.45) get a share of its score.
 */
export interface Signal {
  readonly kind: ContextKind;
  readonly weight: number;
  readonly reason: string;
}

export interface Candidate {
  readonly file: FileEntry;
  readonly signals: Signal[];
  score: number;
  /** How likely (0..1) it is among the files the request needs, from all its features (rank.ts): the packing order. */
  likelihood?: number;
  /** Lines that matter most in this file (1-based inclusive), for excerpts. */
  readonly focus: Array<[number, number]>;
}

/** Folder names that hold a parallel copy of a source tree. */
const TREE = /^(src|source|lib|libs|esm|cjs|es|mjs|dist|build|out|types|deno|deno_dist|bun|node|browser|worker|legacy|v\d+)$/;

export const TEST_FILE = /(^|\/)(__tests__|__test__|tests?|spec|e2e)\/|[._-](test|spec|e2e)s?\.[cm]?[jt]sx?$/;

export class CandidateSet {
  readonly map = new Map<string, Candidate>();

  add(file: FileEntry, kind: ContextKind, weight: number, reason: string, focus?: Array<[number, number]>): void {
    if (file.withheld || (file.text === undefined && !file.lazy) || weight <= 0) return;
    let c = this.map.get(file.key);
    if (!c) this.map.set(file.key, (c = { file, signals: [], score: 0, focus: [] }));
    const same = c.signals.find((s) => s.kind === kind);
    if (same && same.weight >= weight) {
      if (focus) c.focus.push(...focus);
      return;
    }
    if (same) c.signals.splice(c.signals.indexOf(same), 1);
    c.signals.push({ kind, weight: Math.min(1, weight), reason });
    if (focus) c.focus.push(...focus);
    c.score = 1 - c.signals.reduce((p, s) => p * (1 - s.weight), 1);
  }

  ranked(): Candidate[] {
    return [...this.map.values()].sort((a, b) => b.score - a.score || (a.file.key < b.file.key ? -1 : a.file.key > b.file.key ? 1 : 0));
  }
}

function stemOf(rel: string): string {
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  const stem = base.replace(/\.[^.]+$/, '').replace(/[._-](test|spec|e2e)s?$/, '').replace(/\.d$/, '');
  // index files are named by their folder; a package's entry (pkg/src/index.ts) by its package.
  if (stem === 'index' || stem === 'mod' || stem === 'main') {
    const dirs = path.posix.dirname(rel).split('/');
    while (dirs.length > 1 && /^(src|lib|source|dist)$/.test(dirs[dirs.length - 1])) dirs.pop();
    return dirs[0] === '.' ? stem : dirs[dirs.length - 1];
  }
  return stem;
}

const segCache = new Map<string, string[]>();
function segs(rel: string): string[] {
  let s = segCache.get(rel);
  if (!s) {
    if (segCache.size > 200_000) segCache.clear();
    segCache.set(rel, (s = rel.replace(/\.[^./]+$/, '').split('/')));
  }
  return s;
}

/** Files by their base name without extension, and test files by stem: kept per index version. */
const byName = new WeakMap<WorkspaceIndex, { version: number; base: Map<string, FileEntry[]>; testStem: Map<string, FileEntry[]> }>();
function namesOf(index: WorkspaceIndex): { base: Map<string, FileEntry[]>; testStem: Map<string, FileEntry[]> } {
  const hit = byName.get(index);
  if (hit && hit.version === index.version) return hit;
  const base = new Map<string, FileEntry[]>();
  const testStem = new Map<string, FileEntry[]>();
  const push = (m: Map<string, FileEntry[]>, k: string, f: FileEntry) => {
    const a = m.get(k);
    if (a) a.push(f);
    else m.set(k, [f]);
  };
  for (const f of index.files.values()) {
    const s = segs(f.rel);
    push(base, s[s.length - 1], f);
    if (TEST_FILE.test(f.rel)) push(testStem, stemOf(f.rel), f);
  }
  const v = { version: index.version, base, testStem };
  byName.set(index, v);
  return v;
}

/** Files mirroring `f` in a parallel tree: same path after a differing prefix of at most two folders. */
export function twinsOf(index: WorkspaceIndex, f: FileEntry): Array<{ file: FileEntry; strength: number }> {
  const mine = segs(f.rel);
  const base = mine[mine.length - 1];
  const out: Array<{ file: FileEntry; strength: number }> = [];
  const isTest = TEST_FILE.test(f.rel);
  for (const g of namesOf(index).base.get(base) ?? []) {
    if (g.key === f.key || g.withheld) continue;
    const theirs = segs(g.rel);
    if (TEST_FILE.test(g.rel) !== isTest) continue;
    let k = 0;
    while (k < mine.length && k < theirs.length && mine[mine.length - 1 - k] === theirs[theirs.length - 1 - k]) k++;
    // The differing prefixes must be parallel trees: different top folders (src/ vs deno_dist/),
    // or one folder apart right under a shared package folder (pkg/src vs pkg/lib).
    let lead = 0;
    while (lead < mine.length - k && lead < theirs.length - k && mine[lead] === theirs[lead]) lead++;
    const restMine = mine.length - k - lead;
    const restTheirs = theirs.length - k - lead;
    if (restMine === 0 && restTheirs === 0) continue;
    if (restMine > 2 || restTheirs > 2) continue;
    if (lead > 0 && !(restMine <= 1 && restTheirs <= 1 && TREE.test(mine[lead] ?? '') && TREE.test(theirs[lead] ?? ''))) continue;
    const generic = /^(index|mod|main|types|utils?|helpers?|constants|config)$/.test(base);
    if (k < (generic ? 2 : 1)) continue;
    out.push({ file: g, strength: (restMine <= 1 && restTheirs <= 1) || k >= 3 || (!generic && k >= 2) ? 1 : 0.7 });
  }
  return out;
}

/** Test files that belong to `f`: by name (foo.test.ts, __tests__/foo.ts, test/foo.spec.ts), nearest first. */
export function testsOf(index: WorkspaceIndex, f: FileEntry): FileEntry[] {
  if (TEST_FILE.test(f.rel)) return [];
  const stem = stemOf(f.rel);
  const dir = path.posix.dirname(f.rel);
  const scored: Array<{ g: FileEntry; d: number }> = [];
  for (const g of namesOf(index).testStem.get(stem) ?? []) {
    if (g.rootIndex !== f.rootIndex || g.withheld) continue;
    // Path distance: shared leading folders count.
    const gd = path.posix.dirname(g.rel).split('/');
    const fd = dir.split('/');
    let shared = 0;
    while (shared < gd.length && shared < fd.length && gd[shared] === fd[shared]) shared++;
    scored.push({ g, d: fd.length + gd.length - 2 * shared });
  }
  scored.sort((a, b) => a.d - b.d);
  const best = scored[0]?.d ?? 0;
  return scored.filter((s) => s.d <= best + 2).slice(0, 4).map((s) => s.g);
}

const GENERIC_WORD = /^(index|main|mod|utils?|helpers?|types?|common|shared|core|base|config|constants?|internal|test|spec|setup|create|get|set)$/;

/**
 * Tests that share a specific word of `f`'s name without being named for it (ast-collect.ts
 * and static-collect.test.ts, resolveProjects.ts and projects.test.ts): nearest first, a few.
 */
export function relatedTests(index: WorkspaceIndex, f: FileEntry, exclude: Set<string>): FileEntry[] {
  if (TEST_FILE.test(f.rel)) return [];
  const words = terms(stemOf(f.rel)).filter((w) => w.length >= 5 && !GENERIC_WORD.test(w));
  if (words.length === 0) return [];
  const dir = path.posix.dirname(f.rel).split('/');
  const scored: Array<{ g: FileEntry; d: number }> = [];
  for (const [stem, tests] of namesOf(index).testStem) {
    const ws = terms(stem);
    if (!words.some((w) => ws.includes(w))) continue;
    for (const g of tests) {
      if (g.rootIndex !== f.rootIndex || g.withheld || exclude.has(g.key)) continue;
      const gd = path.posix.dirname(g.rel).split('/');
      let shared = 0;
      while (shared < gd.length && shared < dir.length && gd[shared] === dir[shared]) shared++;
      scored.push({ g, d: dir.length + gd.length - 2 * shared });
    }
  }
  scored.sort((a, b) => a.d - b.d || (a.g.rel < b.g.rel ? -1 : 1));
  return scored.slice(0, 3).map((s) => s.g);
}

/** Test files by version, with the document frequency of each path term among them. */
const testPaths = new WeakMap<WorkspaceIndex, { version: number; tests: FileEntry[]; df: Map<string, number> }>();
function testPathStats(index: WorkspaceIndex): { tests: FileEntry[]; df: Map<string, number> } {
  const hit = testPaths.get(index);
  if (hit && hit.version === index.version) return hit;
  const tests: FileEntry[] = [];
  const df = new Map<string, number>();
  for (const f of index.files.values()) {
    if (f.withheld || !TEST_NAME.test(f.rel) || FIXTURE.test(f.rel)) continue;
    tests.push(f);
    for (const t of new Set(f.pathTerms)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const v = { version: index.version, tests, df };
  testPaths.set(index, v);
  return v;
}
/** Named as a test (not merely under a test folder, where fixtures live too). */
export const TEST_NAME = /[._-](test|spec)s?\.[cm]?[jt]sx?$|(^|\/)__tests__\/.*\.[cm]?[jt]sx?$/;
const FIXTURE = /(^|\/)(fixtures?|__fixtures__|__snapshots__|__mocks__)\//;

/**
 * Tests whose path reads like `f`'s (test/msw-api/setup-worker/start/ for
 * src/setupWorker/start/; test/cli/test/vm-threads.test.ts for src/runtime/vm/): test folders
 * that mirror the source tree, away from it. Path terms weighted by how rare they are among
 * test paths; the best few, with their share of the best score.
 */
export function mirrorTests(index: WorkspaceIndex, f: FileEntry, limit = 3): Array<{ file: FileEntry; strength: number }> {
  if (TEST_FILE.test(f.rel)) return [];
  const { tests, df } = testPathStats(index);
  if (tests.length === 0) return [];
  const mine = new Set(f.pathTerms);
  const n = tests.length;
  const scored: Array<{ file: FileEntry; s: number }> = [];
  for (const g of tests) {
    if (g.rootIndex !== f.rootIndex) continue;
    let s = 0;
    let rare = false;
    const seen = new Set<string>();
    for (const t of g.pathTerms) {
      if (seen.has(t) || !mine.has(t)) continue;
      seen.add(t);
      const d = df.get(t) ?? 1;
      s += Math.log(1 + n / d);
      if (d <= Math.max(3, n / 20)) rare = true;
    }
    // Sharing only common words ("packages", "test") is no mirror.
    if (rare) scored.push({ file: g, s: s / Math.sqrt(g.pathTerms.length + 2) });
  }
  scored.sort((a, b) => b.s - a.s || (a.file.rel < b.file.rel ? -1 : 1));
  const top = scored[0]?.s ?? 0;
  return scored.slice(0, limit).map((x) => ({ file: x.file, strength: x.s / top }));
}

/**
 * Code names in a request (`retryLink`, `SetupWorkerApi`, `input_in`): compound identifiers
 * only, as plain words ("list", "server") name too many things.
 */
export function requestIdentifiers(query: string): string[] {
  const out = new Set<string>();
  for (const w of query.match(/[A-Za-z_$][\w$]*/g) ?? []) {
    if (w.length >= 5 && (/[a-z][A-Z]/.test(w) || /^[A-Z]+[a-z]+[A-Z]/.test(w) || /[a-zA-Z]_[a-zA-Z]/.test(w))) out.add(w);
  }
  return [...out];
}

/** Files named by a code name of the request (retryLink -> retryLink.ts, its tests too). */
export function filesNamed(index: WorkspaceIndex, name: string): FileEntry[] {
  const out: FileEntry[] = [];
  const want = name.toLowerCase();
  for (const [base, fs] of namesOf(index).base) {
    const stem = base.replace(/[._-](test|spec)$/, '').toLowerCase();
    if (stem === want) out.push(...fs.filter((f) => !f.withheld));
  }
  return out;
}

export interface Bm25Hit {
  readonly file: FileEntry;
  readonly score: number;
  readonly matched: string[];
}

/** BM25 over content terms plus path terms counted three times (a path names what a file is about). */
export function bm25(index: WorkspaceIndex, queryTerms: string[], limit: number): Bm25Hit[] {
  index.stats();
  const q = new Map<string, number>(); // term -> slot
  for (const t of queryTerms) if (!q.has(t)) q.set(t, q.size);
  if (q.size === 0) return [];
  const k1 = 1.2;
  const b = 0.75;
  // Per file, the counts of the query terms only (content + 3x path), from the index's postings.
  const df = new Array<number>(q.size).fill(0);
  const byFile = new Map<FileEntry, number[]>();
  const row = (f: FileEntry) => {
    let c = byFile.get(f);
    if (!c) byFile.set(f, (c = new Array<number>(q.size).fill(0)));
    return c;
  };
  for (const [t, slot] of q) {
    for (const [f, n] of index.postings(t)) row(f)[slot] += n;
    for (const f of index.pathPostings(t)) row(f)[slot] += 3;
  }
  const N = index.analysedCount();
  const rows: Array<{ file: FileEntry; counts: number[] }> = [];
  for (const [file, counts] of byFile) {
    for (let j = 0; j < counts.length; j++) if (counts[j] > 0) df[j]++;
    rows.push({ file, counts });
  }
  const terms = [...q.keys()];
  const idf = df.map((n) => Math.log(1 + (N - n + 0.5) / (n + 0.5)));
  const hits: Bm25Hit[] = [];
  for (const { file, counts } of rows) {
    const dl = file.len + file.pathTerms.length * 3;
    let s = 0;
    const matched: string[] = [];
    for (let j = 0; j < counts.length; j++) {
      const x = counts[j];
      if (x === 0) continue;
      matched.push(terms[j]);
      s += idf[j] * (x * (k1 + 1)) / (x + k1 * (1 - b + (b * dl) / index.avgLen));
    }
    hits.push({ file, score: s, matched });
  }
  hits.sort((a, b2) => b2.score - a.score);
  return hits.slice(0, limit);
}

/** Query terms, with a conventional-commit scope (`fix(router/etag): ...`) kept as path hints. */
export function queryTerms(query: string): string[] {
  const cleaned = query.replace(/\(#\d+\)/g, ' ').replace(/#\d+/g, ' ').replace(/https?:\/\/\S+/g, ' ');
  return terms(cleaned);
}

/** Identifiers of a code span worth looking up (not the file's own local noise: 3+ chars, no keywords). */
export function spanIdentifiers(text: string): Set<string> {
  return identifiers(text);
}
