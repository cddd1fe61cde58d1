import type { Candidate } from './signals';
import type { ContextKind } from '../events';
import type { PackedItem } from './types';
import { excerptBlocks, type Block } from './blocks';
import { renderFileLines } from './render';
import { countLines, fileChunks, type FileChunks } from './chunks';
import { terms } from './terms';
import { TEST_FILE } from './signals';
import type { FileEntry } from './workspaceIndex';

/**
 * Packing within the budget, exactly: every item's `tokens` is the o200k count of its rendered
 * text, and an item is only added (or grown) when the new count fits what is left. Plans use a
 * cheap estimate; the exact count decides.
 *
 * Order of spending:
 *  1. the active file's selection and its enclosing symbol (the whole file when it is small);
 *  2. by expected value: every step (a candidate's first excerpt, or more of a packed file) is
 *     worth the chance that the file is needed times what the step adds (the file being there
 *     at all, and the share of its relevant lines now shown), per token; the best step is taken
 *     until the budget is spent. A file's best blocks come first, so growing it has diminishing
 *     returns: a huge file stops growing where a further file's first excerpt is worth more,
 *     and a small budget reaches more files with their most relevant parts.
 * Within a file, blocks (enclosing functions/classes/members) are ranked by focus lines
 * (selection, definitions, diff, diagnostics) first, then by the request's words.
 */
export interface PackInput {
  readonly budget: number;
  readonly active?: { file: FileEntry; display: string; focus: Array<[number, number]>; reason: string };
  readonly ranked: Array<{ cand: Candidate; display: string; reason: string; kind: ContextKind }>;
  readonly focusTerms: Map<string, number>;
  readonly deadline: number;
  /** Called on a file before any of its text is used (secret redaction). */
  readonly prepare?: (file: FileEntry) => void;
  /** A file's chunk counts kept across requests (see chunks.ts); fresh ones when absent. */
  readonly chunks?: (file: FileEntry, lines: readonly string[]) => FileChunks;
}

interface Plan {
  score: number;
  display: string;
  kind: ContextKind;
  reason: string;
  lines: string[];
  chunks: FileChunks;
  blocks: Block[]; // leaf blocks, in file order
  /** Block indexes by relevance: computed when first needed (a file sent whole never needs it). */
  order: () => number[];
  chosen: Set<number>;
  whole: boolean;
  item?: PackedItem;
  wholeEst: number;
}

const est = (chars: number) => Math.ceil(chars / 3.3) + 12;

function blockChars(p: Plan, i: number): number {
  const b = p.blocks[i];
  let n = 0;
  for (let ln = b.start; ln <= b.end; ln++) n += (p.lines[ln - 1]?.length ?? 0) + 1;
  return n;
}

/** Per text: its lines, leaf blocks and each block's distinct terms (reused while the text is unchanged). */
interface Shape {
  text: string;
  lines: string[];
  blocks: Block[];
  /** Each block's distinct terms, when first asked for. */
  blockTerms?: string[][];
  chunks: FileChunks;
}
const shapes = new WeakMap<FileEntry, Shape>();

function shapeOf(file: FileEntry, chunks?: PackInput['chunks']): Shape {
  const text = file.text ?? '';
  const hit = shapes.get(file);
  if (hit && hit.text === text) return hit;
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const counts = chunks?.(file, lines) ?? fileChunks(lines);
  if (!counts.blocks) {
    counts.blocks = excerptBlocks(text);
    counts.dirty = true;
  }
  const flat = counts.blocks;
  const blocks: Block[] = [];
  for (let i = 0; i < flat.length; i += 2) if (flat[i] <= flat[i + 1] && flat[i + 1] <= lines.length) blocks.push({ start: flat[i], end: flat[i + 1], depth: 0 });
  if (blocks.length === 0) blocks.push({ start: 1, end: Math.max(1, lines.length), depth: 0 });
  const shape: Shape = { text, lines, blocks, chunks: counts };
  shapes.set(file, shape);
  return shape;
}

/** Each block's distinct terms: from the file's cached pack data, else computed (and kept there). */
function termsOfBlocks(shape: Shape): string[][] {
  const kept = shape.chunks.blockTerms;
  if (kept && kept.length === shape.blocks.length) return kept;
  const out = shape.blocks.map((b) => [...new Set(terms(shape.lines.slice(b.start - 1, b.end).join('\n')))]);
  shape.chunks.blockTerms = out;
  shape.chunks.dirty = true;
  return out;
}

function makePlan(file: FileEntry, display: string, kind: ContextKind, reason: string, focus: Array<[number, number]>, focusTerms: Map<string, number>, score: number, chunks?: PackInput['chunks']): Plan {
  const shape = shapeOf(file, chunks);
  const { text, lines, chunks: counts } = shape;
  const blocks = shape.blocks.map((b) => ({ ...b }));
  let order: number[] | undefined;
  // Where a test file grows: new cases go at its end (its last closing lines), so they are a
  // piece of their own, shown right after the most relevant block.
  const tail = TEST_FILE.test(file.rel) ? tailPiece(blocks, lines) : -1;
  const rank = () => {
    const blockTerms = (shape.blockTerms ??= termsOfBlocks(shape));
    // A word found in most of the file's blocks says little about where in it to look.
    const df = new Map<string, number>();
    for (const ts of blockTerms) for (const t of ts) if (focusTerms.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
    const rel = blocks.map((b, i) => {
      let s = 0;
      for (const [fs, fe] of focus) if (fs <= b.end && fe >= b.start) s += 100;
      const ts = i === tail ? [] : blockTerms[i] ?? [];
      for (const t of ts) {
        const w = focusTerms.get(t);
        if (w) s += w * Math.log(1 + blockTerms.length / df.get(t)!);
      }
      // Damped by length, so a long block is not preferred just for being long, nor a one-line
      // import for being short; the file head breaks ties.
      return { i, s: s / Math.pow(Math.max(6, b.end - b.start + 1), LENGTH_DAMPING) + (i === 0 ? 0.01 : 0) };
    });
    rel.sort((a, b) => b.s - a.s || a.i - b.i);
    const order = rel.map((r) => r.i);
    if (tail !== -1 && order.length > 2) {
      order.splice(order.indexOf(tail), 1);
      order.splice(1, 0, tail);
    }
    return order;
  };
  return { score, display, kind, reason, lines, chunks: counts, blocks, order: () => (order ??= rank()), chosen: new Set(), whole: false, wholeEst: est(text.length) };
}

/**
 * How much a block's relevance is damped by its length (lines ** this): a long block that
 * mentions more of the request's words in passing comes after a short one about them (measured
 * on the retrieval sets: 0.45 shows more of the changed lines than 0.3 at 8K and 32K).
 */
const LENGTH_DAMPING = 0.45;

/**
 * Adds the file's last three non-blank lines (the close of its last case and of the suites
 * around it: where a new case goes) as a piece of their own, overlapping the blocks they end;
 * returns its index, or -1 for a short file. It has no terms of its own.
 */
function tailPiece(blocks: Block[], lines: string[]): number {
  let end = lines.length;
  while (end > 1 && lines[end - 1].trim() === '') end--;
  let start = end;
  for (let seen = 1; start > 1 && seen < 3; ) if (lines[--start - 1].trim() !== '') seen++;
  if (end < 12 || (blocks.length === 1 && blocks[0].start >= start)) return -1;
  blocks.push({ start, end, depth: 0 });
  return blocks.length - 1;
}

/**
 * The blocks a focus range touches; for a range between blocks (a blank line the cursor is on,
 * where code is about to go), the blocks on either side of it, so the excerpt shows the range
 * and what surrounds it (the gap of blank lines between them is shown with them).
 */
function blocksAt(blocks: Block[], s: number, e: number): number[] {
  const hit: number[] = [];
  let before = -1;
  let after = -1;
  blocks.forEach((b, i) => {
    if (s <= b.end && e >= b.start) hit.push(i);
    else if (b.end < s && (before === -1 || b.end > blocks[before].end)) before = i;
    else if (b.start > e && (after === -1 || b.start < blocks[after].start)) after = i;
  });
  if (hit.length) return hit;
  return [before, after].filter((i) => i !== -1);
}

function rangesOf(p: Plan): Array<[number, number]> {
  const idx = [...p.chosen].sort((a, b) => p.blocks[a].start - p.blocks[b].start || a - b);
  const out: Array<[number, number]> = [];
  for (const i of idx) {
    const { start, end } = p.blocks[i];
    const last = out[out.length - 1];
    // Merge touching blocks and gaps of blank lines only.
    if (last && start <= last[1] + 1 + blankRun(p.lines, last[1] + 1, start - 1)) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  // Show where an excerpt's scope ends: the blank separator and closing-bracket lines right
  // around it (where code is added next to it); they cost a token or two each.
  const n = p.lines.length;
  for (const r of out) {
    for (let k = 0; k < 2 && r[1] < n && BOUNDARY.test(p.lines[r[1]]); k++) r[1]++;
    // A piece that starts inside a statement (a signature's parameters, a call's arguments)
    // starts with the lines that open it, so it never reads as a fragment.
    for (let k = 0; k < 3 && r[0] > 1 && OPENS.test(p.lines[r[0] - 2]); k++) r[0]--;
    if (r[0] > 1 && p.lines[r[0] - 2].trim() === '') r[0]--;
  }
  for (let i = out.length - 1; i > 0; i--) {
    if (out[i][0] > out[i - 1][1] + 1) continue;
    out[i - 1][1] = Math.max(out[i - 1][1], out[i][1]);
    out.splice(i, 1);
  }
  return out;
}
/** A line with nothing but closing brackets (and their punctuation), or blank. */
const BOUNDARY = /^\s*(?:[})\]]+[;,)]*)?\s*$/;
/** A line left open: it ends with an opening bracket, a comma or an `=`, and is not a comment. */
const OPENS = /^(?!\s*(?:\/\/|\*|\/\*)).*(?:[([{,]|=>?)\s*$/;

function blankRun(lines: string[], from: number, to: number): number {
  for (let ln = from; ln <= to; ln++) if (lines[ln - 1]?.trim() !== '') return 0;
  return Math.max(0, to - from + 1);
}

/**
 * The value model behind spending (fitted on the retrieval sets; see docs in `pack`):
 * - a candidate's chance of being needed: the ranking's calibrated likelihood when it has one,
 *   else its score, discounted by rank: `confidence`;
 * - a file's first excerpt is worth PRESENT (the file is there at all) plus the share of its
 *   relevant lines it shows; that share grows as (shown / whole) ** LINE_CONCAVITY, since a
 *   file's most relevant blocks come first (measured: a tenth of a file holds about 45% of its
 *   changed lines, half of it 80%).
 * A candidate the ranking put first is never less sure than one after it (`below`: the best
 * likelihood after it), so files that lead for other reasons (a repository question's README
 * and manifests) keep their place. Only confidences relative to each other matter.
 */
export function confidence(cand: { score: number; likelihood?: number }, rank: number, below = 0): number {
  return cand.likelihood !== undefined ? Math.max(1e-6, cand.likelihood, below) : Math.max(1e-4, cand.score) / (1 + rank);
}
const PRESENT = 0.2;
const LINE_CONCAVITY = 0.35;
const lineShare = (shown: number, whole: number) => Math.pow(Math.min(1, shown / Math.max(1, whole)), LINE_CONCAVITY);
/** The active file grows as a fairly likely candidate would (the user is looking at it). */
const ACTIVE_CONFIDENCE = 0.4;
/** A first excerpt: its most relevant blocks, up to this many tokens or this share of the budget. */
const FIRST_TOKENS = 200;
const FIRST_SHARE = 0.01;
/** A packed file grows by this share of what it shows, at least a first excerpt's worth. */
const GROW_BY = 0.6;
/** Unpacked candidates weighed at once, in rank order. */
const LOOKAHEAD = 8;

export function pack(inp: PackInput): { items: PackedItem[]; used: number } {
  const budget = inp.budget;
  let used = 0;
  const plans: Plan[] = [];

  const commit = (p: Plan): boolean => {
    let ranges = p.whole ? undefined : rangesOf(p);
    if (ranges && ranges.length === 1 && ranges[0][0] === 1 && ranges[0][1] >= p.lines.length) ranges = undefined;
    const rendered = renderFileLines(p.display, p.lines, ranges);
    const tokens = countLines(rendered.lines, rendered.src, p.chunks);
    const prev = p.item?.tokens ?? 0;
    if (used - prev + tokens > budget) return false;
    used += tokens - prev;
    p.item = { path: p.display, ...(ranges ? { ranges } : {}), tokens, reason: p.reason, kind: p.kind, text: rendered.lines.join('\n') };
    return true;
  };
  const currentChars = (p: Plan) => (p.whole ? p.lines.join('\n').length : [...p.chosen].reduce((n, i) => n + blockChars(p, i), 0));
  // 1. The active file.
  if (inp.active) {
    const a = inp.active;
    const p = makePlan(a.file, a.display, 'active', a.reason, a.focus, inp.focusTerms, 1, inp.chunks);
    plans.push(p);
    if (p.wholeEst <= budget * 0.25) {
      p.whole = true;
      if (!commit(p)) p.whole = false;
    }
    if (!p.item) {
      const focusBlocks = a.focus.flatMap(([s, e]) => blocksAt(p.blocks, s, e));
      for (const i of focusBlocks) p.chosen.add(i);
      if (focusBlocks.length === 0) p.chosen.add(p.order()[0]);
      if (est(currentChars(p)) > budget * 0.4 || !commit(p)) {
        // The enclosing symbol is too big: the selection itself, trimmed to fit.
        const [s, e] = a.focus[0] ?? [1, 1];
        p.blocks = [{ start: s, end: Math.min(e, p.lines.length), depth: 0 }];
        p.order = () => [0];
        p.chosen = new Set([0]);
        while (!commit(p) && p.blocks[0].end > p.blocks[0].start) {
          p.blocks[0].end = p.blocks[0].start + Math.floor((p.blocks[0].end - p.blocks[0].start) / 2);
        }
      }
    }
  }

  // 2. Spending by expected value.
  const ranked = inp.ranked;
  const openPlan = (k: number): Plan => {
    const r = ranked[k];
    inp.prepare?.(r.cand.file);
    return makePlan(r.cand.file, r.display, r.kind, r.reason, r.cand.focus, inp.focusTerms, r.cand.score, inp.chunks);
  };
  interface Step {
    /** Its plan, once opened: a candidate is read only when its first excerpt is taken. */
    p?: Plan;
    rank: number;
    /** Characters of the whole file. */
    size: number;
    /** How likely this file is one the task needs, relative to the others (see `confidence`). */
    conf: number;
    packed: boolean;
    /** No further step fits, or its text did not. */
    done: boolean;
    /** Its first excerpt did not fit once counted. */
    failed: boolean;
    /** The next step: these blocks (by relevance), or the whole file. */
    add: number[];
    whole: boolean;
    cost: number;
    /** Expected gain per token of the next step; 0 when there is none. */
    worth: number;
  }
  const firstSize = Math.max(FIRST_TOKENS, budget * FIRST_SHARE) * 3.3;
  /** Plans a step's next move: its first excerpt, or more of it (whole when that costs little more). */
  const plan = (st: Step) => {
    const p = st.p;
    st.add = [];
    st.whole = false;
    st.worth = 0;
    if (st.done) return;
    if (!p) {
      // Not read yet: priced by its size, as its most relevant blocks or the whole file.
      const wholeEst = est(st.size);
      st.whole = wholeEst <= est(firstSize) * 1.3 + 40;
      st.cost = st.whole ? wholeEst : est(Math.min(st.size, firstSize));
      if (st.cost > budget - used) st.done = true;
      else st.worth = (st.conf * (PRESENT + (st.whole ? 1 : lineShare(firstSize, st.size)))) / st.cost;
      return;
    }
    if (p.whole) return;
    const cur = st.packed ? currentChars(p) : 0;
    const curTokens = p.item?.tokens ?? 0;
    const target = st.packed ? Math.max(firstSize, cur * GROW_BY) : firstSize;
    const room = budget - used + curTokens;
    let chars = cur;
    for (const i of p.order()) {
      if (p.chosen.has(i)) continue;
      const c = blockChars(p, i);
      if (est(chars + c) > room) continue;
      st.add.push(i);
      chars += c;
      if (chars - cur >= target) break;
    }
    const gain = (shown: number) => (st.packed ? 0 : PRESENT) + lineShare(shown, st.size) - (st.packed ? lineShare(cur, st.size) : 0);
    if (p.wholeEst <= room && p.wholeEst <= Math.max(est(chars), curTokens) * 1.3 + 40) {
      st.whole = true;
      st.add = [];
      st.cost = Math.max(1, p.wholeEst - curTokens);
      st.worth = (st.conf * gain(st.size)) / st.cost;
    } else if (st.add.length > 0) {
      st.cost = Math.max(1, est(chars) - curTokens);
      st.worth = (st.conf * gain(chars)) / st.cost;
    } else st.done = true; // what is left only shrinks: it will never fit
  };
  /** Takes a step; false when its exact count does not fit. */
  const take = (st: Step): boolean => {
    if (!st.p) {
      st.p = openPlan(st.rank);
      st.size = sizeOf(st.p);
      plan(st);
      if (st.worth === 0) return false;
    }
    const p = st.p;
    if (st.whole) {
      p.whole = true;
      if (commit(p)) return true;
      p.whole = false;
      return false;
    }
    const before = new Set(p.chosen);
    const add = [...st.add];
    for (const i of add) p.chosen.add(i);
    // The exact count decides: drop the last-added blocks until it fits.
    while (!commit(p)) {
      if (add.length <= 1) {
        p.chosen = before;
        return false;
      }
      p.chosen.delete(add.pop()!);
    }
    return true;
  };
  const sizeOf = (p: Plan) => p.lines.reduce((n, l) => n + l.length + 1, 0);
  const steps: Step[] = [];
  const stepOf = (st: Step): Step => {
    plan(st);
    steps.push(st);
    return st;
  };
  const fresh = { done: false, failed: false, add: [], whole: false, cost: 1, worth: 0 };
  if (inp.active && plans[0]) stepOf({ ...fresh, p: plans[0], rank: -1, size: sizeOf(plans[0]), conf: ACTIVE_CONFIDENCE, packed: true });
  // Candidates are opened in rank order, a few ahead of those packed: confidence falls with
  // rank, so a further one is worth less unless it is much cheaper.
  let next = 0;
  // The best likelihood from each rank on.
  const below = new Float64Array(ranked.length + 1);
  for (let k = ranked.length - 1; k >= 0; k--) below[k] = Math.max(below[k + 1], ranked[k].cand.likelihood ?? 0);
  const openMore = () => {
    // One that no longer fits still holds its place: near the end of the budget, reading ever
    // further files to find one small enough costs more than it finds.
    let waiting = 0;
    for (const st of steps) if (!st.packed && !st.failed) waiting++;
    for (; waiting < LOOKAHEAD && next < ranked.length; next++, waiting++) {
      if (Date.now() > inp.deadline + 2000 && plans.length > 8) { next = ranked.length; break; } // past the time limit: still a useful few
      const f = ranked[next].cand.file;
      const size = f.size ?? f.text?.length;
      if (size === undefined) {
        // Its size is only known once read.
        const p = openPlan(next);
        stepOf({ ...fresh, p, rank: next, size: sizeOf(p), conf: confidence(ranked[next].cand, next, below[next]), packed: false });
      } else stepOf({ ...fresh, rank: next, size, conf: confidence(ranked[next].cand, next, below[next]), packed: false });
    }
  };
  openMore();
  while (budget - used > 30) {
    let best: Step | undefined;
    for (const st of steps) if (st.worth > 0 && (!best || st.worth > best.worth)) best = st;
    if (!best) break;
    const ok = take(best);
    if (ok && !best.packed && best.p) {
      best.packed = true;
      plans.push(best.p);
    }
    if (!ok) best.done = best.failed = true;
    openMore();
    // What is left shrank: steps planned for more room may no longer fit.
    for (const st of steps) if (st === best || st.cost > budget - used) plan(st);
  }
  const items = plans.map((p) => p.item).filter((i): i is PackedItem => !!i);
  return { items, used };
}
