import path from 'node:path';
import type { FileEntry, WorkspaceIndex } from './workspaceIndex';
import { CandidateSet, type Candidate, TEST_FILE, TEST_NAME, bm25, filesNamed, mirrorTests, queryTerms, relatedTests, requestIdentifiers, spanIdentifiers, testsOf, twinsOf } from './signals';
import { enclosingBlock, parseBlocks } from './blocks';
import { terms } from './terms';
import { CODE_FILE } from './imports';
import { changedFiles, changedLinesAll, coChanged, hasGit, remembered } from './git';
import type { EditorDiagnostic } from '../editor/port';
import { addOverview, isRepositoryQuestion } from './overview';
import { type RankInfo, lexicalOf, likelihood } from './rank';

export interface GatherInput {
  readonly index: WorkspaceIndex;
  readonly query: string;
  readonly active?: FileEntry;
  readonly selection?: [number, number];
  readonly open: FileEntry[];
  readonly diagnostics: EditorDiagnostic[];
  readonly git: boolean;
  readonly deadline: number;
}

export interface Gathered {
  readonly candidates: CandidateSet;
  /** The packing order: by each candidate's likelihood of being needed (rank.ts). */
  readonly ranked: Candidate[];
  /** Terms that make a block relevant (query words and selection identifiers, split). */
  readonly focusTerms: Map<string, number>;
  /** The active file's lines that matter (selection, diagnostics). */
  readonly activeFocus: Array<[number, number]>;
  /** The request is about the repository as a whole (README, manifests, entry points lead). */
  readonly broad: boolean;
  /** What the ranking's features read besides each candidate's signals. */
  readonly rankInfo: RankInfo;
}

const quote = (ts: string[]) => ts.slice(0, 3).map((t) => `'${t}'`).join(', ');

export async function gather(inp: GatherInput): Promise<Gathered> {
  const { index, active } = inp;
  const set = new CandidateSet();
  index.edges();
  const lines = active?.text?.split('\n') ?? [];
  const sel = active && inp.selection ? clampRange(inp.selection, lines.length) : undefined;
  const selText = sel ? lines.slice(sel[0] - 1, sel[1]).join('\n') : '';
  // A one-line selection says little: read its enclosing block for names too (weaker).
  const block = sel && active?.text ? enclosingBlock(parseBlocks(active.text), sel[0], sel[1]) : undefined;
  const blockText = block ? lines.slice(block.start - 1, block.end).join('\n') : '';
  const activeFocus: Array<[number, number]> = sel ? [sel] : [];
  for (const d of inp.diagnostics) activeFocus.push([d.line, d.endLine ?? d.line]);

  const qTerms = queryTerms(inp.query);
  const focusTerms = new Map<string, number>();
  for (const t of qTerms) focusTerms.set(t, 2);
  for (const t of terms(selText)) focusTerms.set(t, Math.max(focusTerms.get(t) ?? 0, 1));
  // The name of the code being edited (its function, method, test case): its callers and tests name it.
  if (block?.name) for (const t of terms(block.name)) focusTerms.set(t, Math.max(focusTerms.get(t) ?? 0, 1));

  if (active) {
    // Twins: the same file in a parallel tree; their tests too.
    for (const { file, strength } of twinsOf(index, active)) {
      set.add(file, 'twin', 0.85 * strength, `same file as the active one in another folder (${index.display(active)})`, sel ? [alignRange(lines, index.textOf(file), sel)] : undefined);
    }
    const named = testsOf(index, active);
    for (const t of named) set.add(t, 'test', 0.6, `tests for ${path.posix.basename(active.rel)}`);
    const byName = new Set(named.map((n) => n.key));
    for (const t of relatedTests(index, active, byName)) {
      set.add(t, 'test', 0.3, `tests named like ${path.posix.basename(active.rel)}`);
      byName.add(t.key);
    }
    for (const { file, strength } of mirrorTests(index, active)) if (!byName.has(file.key)) set.add(file, 'test', 0.35 * strength, `tests in a folder like ${path.posix.dirname(active.rel)}/`);

    // Imports of the active file; names used in the selection make them definitions.
    const selIds = spanIdentifiers(selText);
    const blockIds = spanIdentifiers(blockText);
    const near = sel ? useDistance(lines, sel) : undefined;
    for (const key of active.resolved ?? []) {
      const f = index.files.get(key);
      if (!f) continue;
      const names = active.importedNames?.get(key) ?? [];
      const usedInSel = names.filter((n) => selIds.has(n));
      const usedInBlock = names.filter((n) => blockIds.has(n));
      if (usedInSel.length > 0) set.add(f, 'definition', 0.75, `defines \`${usedInSel.slice(0, 3).join('`, `')}\` used in the selection`, symbolLines(f, usedInSel));
      else if (usedInBlock.length > 0) set.add(f, 'definition', 0.55, `defines \`${usedInBlock.slice(0, 3).join('`, `')}\` used around the selection`, symbolLines(f, usedInBlock));
      set.add(f, 'import', importWeight(near, names), 'imported by the active file', symbolLines(f, names));
    }
    // Unique exported symbols named in the selection but not imported (same-package globals, re-exports).
    const defs = definitionsByName(index);
    for (const id of selIds) {
      const where = defs.get(id);
      if (!where || where.length > 2) continue;
      for (const w of where) if (w.file.key !== active.key) set.add(w.file, 'definition', 0.55, `defines \`${id}\` used in the selection`, [[w.line, w.line]]);
    }
    const importers = [...(index.importers.get(active.key) ?? [])].map((k) => index.files.get(k)!).filter(Boolean);
    // Tests reach a file through its folder's index or a nearby importer when it has none of its own.
    const ownTests = testsOf(index, active);
    if (ownTests.length === 0) {
      const dir = path.posix.dirname(active.rel);
      for (const imp of importers) {
        const idir = path.posix.dirname(imp.rel);
        if (TEST_FILE.test(imp.rel) || !(idir === dir || dir.startsWith(idir + '/'))) continue;
        for (const t of testsOf(index, imp)) set.add(t, 'test', 0.45, `tests for ${path.posix.basename(imp.rel)}, which uses the active file`);
      }
    }
    // Shared helpers and fixtures the active file's tests import (e.g. common test cases).
    for (const t of ownTests) {
      for (const key of t.resolved ?? []) {
        const f = index.files.get(key);
        if (f && f.key !== active.key && TEST_FILE.test(f.rel)) set.add(f, 'test', 0.4, `used by ${path.posix.basename(t.rel)}`);
      }
    }
    const iw = 0.35 / Math.sqrt(Math.max(1, importers.length / 4));
    for (const f of importers) {
      if (TEST_FILE.test(f.rel)) set.add(f, 'test', 0.5, `tests that import ${path.posix.basename(active.rel)}`);
      else set.add(f, 'importer', iw, 'imports the active file');
    }
    // Siblings.
    const dir = path.posix.dirname(active.rel);
    let siblings = 0;
    for (const f of index.files.values()) {
      if (f.key !== active.key && f.rootIndex === active.rootIndex && path.posix.dirname(f.rel) === dir && f.tf && siblings++ < 30) set.add(f, 'sibling', 0.12, 'in the same folder');
    }
  }
  for (const f of inp.open) if (!active || f.key !== active.key) set.add(f, 'open', 0.5, 'open in the editor');
  // Code names the request spells out: the files named so, and the few that export them.
  const defs = definitionsByName(index);
  for (const id of requestIdentifiers(inp.query)) {
    const files = filesNamed(index, id);
    if (files.length <= 4) for (const f of files) set.add(f, 'named', 0.55, `named in the request (\`${id}\`)`);
    const where = defs.get(id);
    if (where && where.length <= 3) for (const w of where) set.add(w.file, 'definition', 0.6, `defines \`${id}\`, named in the request`, [[w.line, w.line]]);
  }
  const broad = isRepositoryQuestion(inp.query, !!sel);
  if (broad || !active) addOverview(index, set, broad);

  // Words of the request.
  const qHits = bm25(index, qTerms, 400);
  const hits = qHits.slice(0, 40);
  const top = hits[0]?.score ?? 0;
  for (const h of hits) {
    if (active && h.file.key === active.key) continue;
    // Manifests and docs match many words (an exports map names every module); code answers code questions.
    const damp = CODE_FILE.test(h.file.rel) ? 1 : 0.6;
    set.add(h.file, 'query', 0.7 * damp * (h.score / top) ** 1.5, `matches ${quote(h.matched)}`);
  }
  const selTerms = terms(selText + '\n' + (active ? active.pathTerms.join(' ') : ''));
  const selAll = bm25(index, selTerms, 400);
  const selHits = selAll.slice(0, 20);
  const selTop = selHits[0]?.score ?? 0;
  for (const h of selHits) {
    if (active && h.file.key === active.key) continue;
    set.add(h.file, 'selection', 0.3 * (CODE_FILE.test(h.file.rel) ? 1 : 0.6) * (h.score / selTop) ** 1.5, `shares words with the selection (${quote(h.matched)})`);
  }

  // Lexical evidence for what the structural signals miss: one BM25 over the request, the
  // selection and the active file's path together, deep, so a large budget is filled with the
  // next likeliest files rather than left unused. Only for files no other signal found.
  const allTerms = [...qTerms, ...selTerms];
  const deep = bm25(index, allTerms, 400);
  const deepTop = deep[0]?.score ?? 0;
  for (const h of deep) {
    if ((active && h.file.key === active.key) || set.map.has(h.file.key)) continue;
    set.add(h.file, 'lexical', 0.1 * (h.score / deepTop), `shares words with the request and the selection (${quote(h.matched)})`);
  }

  // Git: the working-tree diff and files changed together with the active file.
  if (inp.git) await gitSignals(inp, set);

  // Second order: tests and twins of strong candidates.
  for (const c of set.ranked().slice(0, 12)) {
    if (c.score < 0.45 || (active && c.file.key === active.key)) continue;
    for (const t of testsOf(index, c.file)) if (!active || t.key !== active.key) set.add(t, 'test', 0.55 * c.score, `tests for ${path.posix.basename(c.file.rel)}`);
    if (c.signals.some((s) => s.kind === 'twin')) continue;
    for (const { file, strength } of twinsOf(index, c.file)) if (!active || file.key !== active.key) set.add(file, 'twin', 0.7 * strength * c.score, `same file as ${index.display(c.file)} in another folder`);
  }
  testHelpers(index, set, active);
  if (active) set.map.delete(active.key);
  const rankInfo: RankInfo = { index, active, queryTerms: new Set(qTerms), query: lexicalOf(qHits), selection: lexicalOf(selAll), deep: lexicalOf(deep) };
  // The packing order is the learned likelihood (rank.ts); each candidate's score stays the
  // noisy-OR of its signals' weights, which packing sizes excerpts by.
  for (const c of set.map.values()) c.likelihood = likelihood(c, rankInfo);
  // A question about the whole repository: its README, manifests and entry points lead (the
  // benchmark the likelihood was fit on has no such questions).
  const lead = (c: Candidate) => (broad && c.signals.some((s) => s.kind === 'overview') ? 1 : 0);
  const ranked = [...set.map.values()].sort((a, b) => lead(b) - lead(a) || (lead(a) ? b.score - a.score : 0) || b.likelihood! - a.likelihood! || (a.file.key < b.file.key ? -1 : 1));
  return { candidates: set, ranked, focusTerms, activeFocus, broad, rankInfo };
}

/**
 * Shared test helpers (test/utils.ts, tests/helpers/api.ts): modules in test folders, not tests
 * themselves, that the likeliest test candidates import. A change that touches tests often
 * touches what they share; the more of those tests import a helper, the likelier.
 */
function testHelpers(index: WorkspaceIndex, set: CandidateSet, active: FileEntry | undefined): void {
  const users = new Map<string, string[]>();
  const tests = set.ranked().filter((c) => TEST_NAME.test(c.file.rel)).slice(0, 12).map((c) => c.file);
  if (active && TEST_NAME.test(active.rel)) tests.push(active);
  for (const t of tests) {
    for (const key of t.resolved ?? []) {
      const f = index.files.get(key);
      if (!f || TEST_NAME.test(f.rel) || !TEST_FILE.test(f.rel) || (active && key === active.key)) continue;
      const u = users.get(key);
      if (u) u.push(t.rel);
      else users.set(key, [t.rel]);
    }
  }
  for (const [key, by] of users) {
    const f = index.files.get(key)!;
    set.add(f, 'test', Math.min(0.45, 0.15 + 0.1 * by.length), by.length === 1 ? `a test helper used by ${path.posix.basename(by[0])}` : `a test helper used by ${by.length} of the tests found`);
  }
}

async function gitSignals(inp: GatherInput, set: CandidateSet): Promise<void> {
  const { index, active } = inp;
  const roots = index.roots();
  const budgetMs = () => Math.max(50, Math.min(1500, inp.deadline - Date.now()));
  for (let i = 0; i < roots.length; i++) {
    const root = roots[i].path;
    if (!hasGit(root)) continue;
    // The working tree moves with each save: a few seconds of reuse; history moves rarely: a minute.
    const changed = await remembered(`status|${root}`, 5000, () => changedFiles(root, budgetMs()));
    const lines = changed.length ? await remembered(`diff|${root}`, 5000, () => changedLinesAll(root, budgetMs())) : new Map<string, Array<[number, number]>>();
    for (const rel of changed.slice(0, 50)) {
      const f = index.files.get(`${i}:${rel}`);
      if (!f || (active && f.key === active.key)) continue;
      set.add(f, 'diff', 0.35, 'changed in the working tree', lines.get(rel));
    }
    if (active && active.rootIndex === i) {
      const co = await remembered(`log|${root}|${active.rel}`, 60_000, () => coChanged(root, active.rel, budgetMs()));
      for (const [rel, n] of co) {
        const f = index.files.get(`${i}:${rel}`);
        if (!f || n < 2) continue;
        set.add(f, 'cochange', 0.6 * Math.min(1, n / 6), `changed together with ${active.rel} in ${n} commits`);
      }
    }
  }
}

function clampRange([s, e]: [number, number], n: number): [number, number] {
  const a = Math.max(1, Math.min(s, n || 1));
  return [a, Math.max(a, Math.min(e, n || 1))];
}

/** Where the selection sits in a twin: the first selected non-blank line found there, else the same lines. */
function alignRange(lines: string[], twinText: string | undefined, sel: [number, number]): [number, number] {
  const theirs = twinText?.split('\n') ?? [];
  for (let ln = sel[0]; ln <= sel[1]; ln++) {
    const probe = lines[ln - 1]?.trim();
    if (!probe || probe.length < 4) continue;
    let best = -1;
    for (let j = 0; j < theirs.length; j++) {
      if (theirs[j].trim() === probe && (best === -1 || Math.abs(j + 1 - ln) < Math.abs(best + 1 - ln))) best = j;
    }
    if (best !== -1) {
      const start = best + 1 - (ln - sel[0]);
      return [Math.max(1, start), Math.max(1, start + (sel[1] - sel[0]))];
    }
  }
  return clampRange(sel, theirs.length);
}

/**
 * How far (in lines) each identifier's nearest use in the active file is from the selection;
 * import statements do not count as uses unless the selection is among them.
 */
function useDistance(lines: string[], sel: [number, number]): Map<string, number> {
  let header = 0;
  for (let i = 0; i < lines.length && i < 400; i++) if (/^\s*import\b|^\s*\}\s*from\s|^\s*export\s.*\bfrom\s/.test(lines[i])) header = i + 1;
  const from = sel[0] <= header ? 0 : header;
  const out = new Map<string, number>();
  const re = /[A-Za-z_$][\w$]*/g;
  for (let i = from; i < lines.length; i++) {
    const ln = i + 1;
    const d = ln < sel[0] ? sel[0] - ln : ln > sel[1] ? ln - sel[1] : 0;
    for (const m of lines[i].matchAll(re)) {
      const prev = out.get(m[0]);
      if (prev === undefined || d < prev) out.set(m[0], d);
    }
  }
  return out;
}

/**
 * An import's weight: higher when the active file uses what it imports near the selection (a
 * file with hundreds of imports, like an app's root component, says little by importing one).
 */
function importWeight(near: Map<string, number> | undefined, names: string[]): number {
  if (!near || names.length === 0) return 0.4;
  let d = Infinity;
  for (const n of names) d = Math.min(d, near.get(n) ?? Infinity);
  return Number.isFinite(d) ? 0.3 + 0.15 / (1 + d / 150) : 0.3;
}

function symbolLines(f: FileEntry, names: string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const s of f.symbols ?? []) if (names.includes(s.name)) out.push([s.line, s.line]);
  return out;
}

/** Exported top-level symbols by name across the workspace (kept per index version). */
const defsMemo = new WeakMap<WorkspaceIndex, { version: number; map: Map<string, Array<{ file: FileEntry; line: number }>> }>();
function definitionsByName(index: WorkspaceIndex): Map<string, Array<{ file: FileEntry; line: number }>> {
  const hit = defsMemo.get(index);
  if (hit && hit.version === index.version) return hit.map;
  const map = new Map<string, Array<{ file: FileEntry; line: number }>>();
  for (const f of index.files.values()) {
    if (TEST_FILE.test(f.rel)) continue;
    for (const s of f.symbols ?? []) {
      if (!s.exported) continue;
      let a = map.get(s.name);
      if (!a) map.set(s.name, (a = []));
      a.push({ file: f, line: s.line });
    }
  }
  defsMemo.set(index, { version: index.version, map });
  return map;
}
