import path from 'node:path';
import type { ContextKind } from '../events';
import type { FileEntry, WorkspaceIndex } from './workspaceIndex';
import { type Candidate, TEST_FILE } from './signals';
import { CODE_FILE } from './imports';
import { terms } from './terms';

/**
 * What gather knows about the request besides each candidate's signals: the active file, the
 * request's terms, and where each file stands in the three BM25 rankings (request, selection,
 * request + selection + active path).
 */
export interface RankInfo {
  readonly index: WorkspaceIndex;
  readonly active?: FileEntry;
  readonly queryTerms: Set<string>;
  readonly query: Lexical;
  readonly selection: Lexical;
  readonly deep: Lexical;
}

/** A BM25 ranking: each file's rank (0 = best) and its score as a share of the best. */
export type Lexical = Map<string, { rank: number; share: number }>;

export function lexicalOf(hits: Array<{ file: FileEntry; score: number }>): Lexical {
  const top = hits[0]?.score || 1;
  const out: Lexical = new Map();
  hits.forEach((h, rank) => out.set(h.file.key, { rank, share: h.score / top }));
  return out;
}

/** Signal kinds whose strongest weight is a feature; open, diff and cochange (not in the benchmark) count through the prior. */
const KINDS: ContextKind[] = ['twin', 'definition', 'test', 'query', 'import', 'importer', 'selection', 'sibling', 'lexical', 'named', 'overview'];

export const FEATURES = [
  'bias', 'prior',
  ...KINDS.map((k) => `w_${k}`),
  'kinds',
  'q_share', 'q_rank', 'sel_share', 'sel_rank', 'deep_share', 'deep_rank',
  'shared_depth', 'dir_distance', 'same_dir', 'same_package',
  'is_test', 'active_is_test', 'is_code', 'is_doc', 'is_config', 'size',
  'name_in_request', 'package_in_request', 'path_overlap', 'mirror_test',
  'in_degree', 'out_degree', 'both_tests', 'test_elsewhere',
] as const;

const DOC = /\.(md|mdx|txt)$/i;
const CONFIG = /\.(json|jsonc|ya?ml|toml)$|(^|\/)\.[^/]+$|\.config\.[cm]?[jt]s$|(^|\/)[^/]*rc\.[cm]?[jt]s$/;

/** A rank's weight: 1 for the best, falling with the log of the rank, 0 for no rank. */
const byRank = (r: { rank: number } | undefined) => (r ? 1 / Math.log2(2 + r.rank) : 0);

/** The feature vector of one candidate (see FEATURES). */
export function features(c: Candidate, info: RankInfo): number[] {
  const f = c.file;
  const a = info.active;
  const max = new Map<ContextKind, number>();
  for (const s of c.signals) max.set(s.kind, Math.max(max.get(s.kind) ?? 0, s.weight));
  const prior = Math.min(0.999, Math.max(0.001, c.score));
  const q = info.query.get(f.key);
  const sl = info.selection.get(f.key);
  const dp = info.deep.get(f.key);
  const fd = path.posix.dirname(f.rel).split('/');
  let shared = 0;
  let distance = 10;
  let sameDir = 0;
  let samePkg = 0;
  let overlap = 0;
  let mirror = 0;
  if (a && a.rootIndex === f.rootIndex) {
    const ad = path.posix.dirname(a.rel).split('/');
    while (shared < fd.length && shared < ad.length && fd[shared] === ad[shared]) shared++;
    distance = Math.min(10, fd.length + ad.length - 2 * shared);
    sameDir = distance === 0 ? 1 : 0;
    const { pkg: pa, pathTerms: mine, stemTerms: stemA } = activeOf(info, a);
    samePkg = pa !== undefined && pa === packageOf(info.index, f) ? 1 : 0;
    const theirs = new Set(f.pathTerms);
    let both = 0;
    for (const t of theirs) if (mine.has(t)) both++;
    overlap = both / Math.max(1, mine.size + theirs.size - both);
    // A test whose own name shares a word with the active file's name, away from it: a mirrored test.
    if (TEST_FILE.test(f.rel) && !TEST_FILE.test(a.rel)) {
      mirror = terms(baseStem(f.rel)).some((t) => stemA.has(t)) ? 1 : 0;
    }
  }
  const stemTerms = terms(baseStem(f.rel));
  const named = stemTerms.length ? stemTerms.filter((t) => info.queryTerms.has(t)).length / stemTerms.length : 0;
  const pkg = packageOf(info.index, f);
  const pkgNamed = pkg ? (terms(path.posix.basename(pkg)).some((t) => info.queryTerms.has(t)) ? 1 : 0) : 0;
  return [
    1,
    Math.log(prior / (1 - prior)),
    ...KINDS.map((k) => max.get(k) ?? 0),
    new Set(c.signals.map((s) => s.kind)).size,
    q?.share ?? 0, byRank(q), sl?.share ?? 0, byRank(sl), dp?.share ?? 0, byRank(dp),
    Math.min(6, shared) / 6, distance / 10, sameDir, samePkg,
    TEST_FILE.test(f.rel) ? 1 : 0, a && TEST_FILE.test(a.rel) ? 1 : 0, CODE_FILE.test(f.rel) ? 1 : 0, DOC.test(f.rel) ? 1 : 0, CONFIG.test(f.rel) ? 1 : 0,
    Math.log(1 + f.len) / 10,
    named, pkgNamed, overlap, mirror,
    Math.log(1 + (info.index.importers.get(f.key)?.size ?? 0)) / 5,
    Math.log(1 + (f.resolved?.length ?? 0)) / 5,
    a && TEST_FILE.test(a.rel) && TEST_FILE.test(f.rel) ? 1 : 0,
    TEST_FILE.test(f.rel) && !samePkg ? 1 : 0,
  ];
}

/** The active file's package, path terms and name terms, worked out once per request. */
const activeMemo = new WeakMap<RankInfo, { pkg: string | undefined; pathTerms: Set<string>; stemTerms: Set<string> }>();
function activeOf(info: RankInfo, a: FileEntry): { pkg: string | undefined; pathTerms: Set<string>; stemTerms: Set<string> } {
  let m = activeMemo.get(info);
  if (!m) activeMemo.set(info, (m = { pkg: packageOf(info.index, a), pathTerms: new Set(a.pathTerms), stemTerms: new Set(terms(baseStem(a.rel))) }));
  return m;
}

function baseStem(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1).replace(/\..*$/, '');
}

/** The folder of the nearest package.json above a file ('' for the root package), kept per index version. */
const pkgMemo = new WeakMap<WorkspaceIndex, { version: number; dirs: Set<string>; of: Map<string, string | undefined> }>();
function packageOf(index: WorkspaceIndex, f: FileEntry): string | undefined {
  let m = pkgMemo.get(index);
  if (!m || m.version !== index.version) {
    const dirs = new Set<string>();
    for (const g of index.files.values()) if (g.rel === 'package.json' || g.rel.endsWith('/package.json')) dirs.add(`${g.rootIndex}:${path.posix.dirname(g.rel)}`);
    pkgMemo.set(index, (m = { version: index.version, dirs, of: new Map() }));
  }
  let dir = path.posix.dirname(f.rel);
  const key = `${f.rootIndex}:${dir}`;
  if (m.of.has(key)) return m.of.get(key);
  let found: string | undefined;
  for (;;) {
    if (m.dirs.has(`${f.rootIndex}:${dir}`)) {
      found = dir === '.' ? '' : dir;
      break;
    }
    if (dir === '.' || dir === '') break;
    dir = path.posix.dirname(dir);
  }
  m.of.set(key, found);
  return found;
}

/**
 * The ranking: a logistic regression over FEATURES, fit by bench/fitRanker.mjs on the data
 * bench/dumpRankFeatures.mjs writes (every task of the dev and dev-more sets: 5 repositories,
 * 260 tasks), with an L2 penalty of 1 and each task weighted equally. Fit leave-one-repository-out,
 * it ranks the gold files of each held-out repository higher than the hand-weighted order did
 * (dev-more, mean over its 4 repositories: recall@10 0.558 -> 0.609, @25 0.681 -> 0.729,
 * @50 0.771 -> 0.815, @100 0.856 -> 0.890). Refit after changing a feature or
 * a signal: `node bench/dumpRankFeatures.mjs && node bench/fitRanker.mjs`, and paste the weights.
 */
export const WEIGHTS: Readonly<Record<(typeof FEATURES)[number], number>> = {
  bias: -8.673,
  prior: 0.813,
  w_twin: 1.390,
  w_definition: 0.817,
  w_test: 0.419,
  w_query: -0.632,
  w_import: 0.946,
  w_importer: -1.407,
  w_selection: -0.429,
  w_sibling: -0.091,
  w_lexical: 0.143,
  w_named: 0.286,
  w_overview: -0.012,
  kinds: 0.122,
  q_share: 0.352,
  q_rank: 1.030,
  sel_share: -0.294,
  sel_rank: 0.802,
  deep_share: 1.006,
  deep_rank: 0.383,
  shared_depth: -0.384,
  dir_distance: -1.074,
  same_dir: -0.121,
  same_package: -0.241,
  is_test: 0.205,
  active_is_test: 0.036,
  is_code: 1.998,
  is_doc: -0.525,
  is_config: 0.425,
  size: 2.779,
  name_in_request: 0.773,
  package_in_request: 0.163,
  path_overlap: 1.557,
  mirror_test: 0.251,
  in_degree: 0.327,
  out_degree: -0.182,
  both_tests: 0.230,
  test_elsewhere: 0.627,
};

const W = FEATURES.map((n) => WEIGHTS[n]);

/** The likelihood (0..1) that a candidate is among the files a change to the active code touches. */
export function likelihood(c: Candidate, info: RankInfo): number {
  const x = features(c, info);
  let z = 0;
  for (let j = 0; j < x.length; j++) z += W[j] * x[j];
  return 1 / (1 + Math.exp(-z));
}
