import fs from 'node:fs';
import path from 'node:path';
import { asciiJson, lookupSorted, sortedLines } from './sortedLines';
import { cacheDir, writeAtomically } from './cacheFiles';
import { countWithSlice, readVocab, writeVocab, type Vocab } from './vocabSlice';

/**
 * Exact o200k_base token counts (MAI-Thinking-1's tokenizer) with gpt-tokenizer.
 *
 * o200k_base first splits text with a fixed regex into pieces and then encodes each piece on
 * its own, so a text's count is exactly the sum of its pieces' counts. We cache counts per
 * piece (in memory, and in a sorted file shared across processes, searched in place). A piece
 * never seen is counted on a slice of the vocabulary (vocabSlice.ts); gpt-tokenizer's full rank
 * tables (~250 ms to load) are needed only until a first process has written that sorted
 * vocabulary, or for a batch too large for a slice. Importing this module loads neither. The
 * split regex is gpt-tokenizer's own O200K pattern.
 *
 * Special-token text such as `<|endoftext|>` is counted as plain text (no special tokens
 * allowed, none disallowed): that is also how the renderer sends it.
 */
const CONTRACTION = String.raw`'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])`;
const PIECE_PATTERN = String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?:${CONTRACTION})?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?:${CONTRACTION})?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`;
const PIECE = new RegExp(PIECE_PATTERN, 'gu');
/** A second instance: checking one piece must not move the main scan's lastIndex. */
const PIECE_CHECK = new RegExp(PIECE_PATTERN, 'gu');

type CountFn = (text: string) => number;

let encoderCount: CountFn | undefined;
let tokenizerLoads = 0;
const pieces = new Map<string, number>();
/**
 * The shared cache file, as read: one `<JSON string of the piece>\t<count>` line per piece,
 * sorted, searched in place (sortedLines.ts): a run needs a few hundred of its tens of
 * thousands of pieces, so nothing is parsed up front.
 */
let disk: string | null = null;
/** The sorted vocabulary for counting new pieces without the full tables (vocabSlice.ts). */
let vocab: Vocab | null | undefined;
/** Pieces counted (not read from the file) in this process since the last flush. */
const learned = new Map<string, number>();
let cacheFile: string | null | undefined; // undefined: not configured yet
let cacheLoaded = false;
const MAX_PIECES = 400_000;

function loadEncoder(): CountFn {
  if (!encoderCount) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('./o200kFull') as typeof import('./o200kFull');
    const none = new Set<string>();
    encoderCount = (text) => mod.countTokens(text, { disallowedSpecial: none });
    tokenizerLoads++;
    // Leave the sorted vocabulary for the next processes, so they count new pieces without the tables.
    if (cacheFile && !readVocab(path.dirname(cacheFile))) writeVocab(path.dirname(cacheFile), mod.ranks);
  }
  return encoderCount;
}

/** Where piece counts persist across processes (default: the OS temp dir); null: memory only. */
export function configureTokenCache(dir: string | null | undefined): void {
  const next = dir === null ? null : path.join(cacheDir(dir), 'o200k-pieces-v3.txt');
  if (next !== cacheFile) {
    cacheFile = next;
    cacheLoaded = false;
  }
}

function loadCache(): void {
  if (cacheLoaded) return;
  cacheLoaded = true;
  disk = null;
  vocab = undefined;
  if (!cacheFile) return;
  try {
    disk = fs.readFileSync(cacheFile, 'utf8');
  } catch {
    /* none yet: counts are re-derived */
  }
}

/** The cached count of a piece, or undefined; a torn or foreign line reads as a miss. */
function diskCount(piece: string): number | undefined {
  if (!disk) return undefined;
  const v = lookupSorted(disk, asciiJson(piece));
  const n = v === undefined ? NaN : Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Whole texts counted recently (a warm editor re-renders the same items request after request):
 * hashing a string to look it up is much cheaper than splitting it again.
 */
const recent = new Map<string, number>();
let recentChars = 0;
const RECENT_MAX_CHARS = 32 << 20;
const RECENT_MAX_ENTRIES = 200_000;

/** Exact o200k_base token count of `text`; never throws on special-token text. */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  const hit = recent.get(text);
  if (hit !== undefined) return hit;
  const n = countUncached(text);
  remember(text, n);
  return n;
}

/** Short texts too: chunk counting (chunks.ts) asks for the same headers, fences and lines again. */
function remember(text: string, n: number): void {
  if (recentChars + text.length > RECENT_MAX_CHARS || recent.size >= RECENT_MAX_ENTRIES) {
    recent.clear();
    recentChars = 0;
  }
  recent.set(text, n);
  recentChars += text.length;
}

function countUncached(text: string): number {
  if (cacheFile === undefined) configureTokenCache(undefined);
  loadCache();
  const { known, missing } = scanPieces(text);
  if (missing.length === 0) return known;
  const fresh = countNewPieces([...new Set(missing)]);
  if (!fresh) return loadEncoder()(text); // a piece that splits differently alone: count the whole text
  return missing.reduce((sum, piece) => sum + fresh.get(piece)!, known);
}

/** One scan of a text: the summed counts of the pieces known (memory or file), and the others. */
function scanPieces(text: string): { known: number; missing: string[] } {
  let known = 0;
  const missing: string[] = [];
  PIECE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PIECE.exec(text))) {
    const piece = m[0];
    let n = pieces.get(piece);
    if (n === undefined) {
      n = diskCount(piece);
      if (n !== undefined) pieces.set(piece, n);
    }
    if (n !== undefined) known += n;
    else missing.push(piece);
  }
  return { known, missing };
}

/**
 * Counts of pieces never seen: from a slice of the vocabulary while the full tables are not
 * loaded (vocabSlice.ts), else from the tables; cached. Undefined when a piece would split
 * differently on its own.
 */
function countNewPieces(list: string[]): Map<string, number> | undefined {
  for (const piece of list) {
    const again = piece.match(PIECE_CHECK);
    if (!again || again.length !== 1 || again[0] !== piece) return undefined;
  }
  if (vocab === undefined) vocab = cacheFile ? (readVocab(path.dirname(cacheFile)) ?? null) : null;
  const counts = !encoderCount && vocab ? countWithSlice(vocab, list) : undefined;
  const out = new Map<string, number>();
  list.forEach((piece, i) => {
    const n = counts ? counts[i] : loadEncoder()(piece);
    out.set(piece, n);
    if (pieces.size < MAX_PIECES) {
      pieces.set(piece, n);
      learned.set(piece, n);
    }
  });
  return out;
}

/** Writes the piece counts learned in this process to the shared cache (merged, sorted, atomic rename; best effort). */
export function flushTokenCache(): void {
  if (!cacheFile || learned.size === 0) return;
  try {
    // Merge into what is on disk now (other processes write too): two sorted lists, no parsing.
    let onDisk: string[] = [];
    try {
      onDisk = fs.readFileSync(cacheFile, 'latin1').split('\n').filter((l) => l.includes('\t'));
    } catch {
      /* none yet */
    }
    if (onDisk.length + learned.size > MAX_PIECES) onDisk = [];
    const mine = sortedLines([...learned].map(([k, v]) => [asciiJson(k), v] as const)).split('\n').filter(Boolean);
    const out: string[] = [];
    const keyOf = (l: string) => l.slice(0, l.indexOf('\t'));
    let i = 0;
    let j = 0;
    while (i < onDisk.length || j < mine.length) {
      if (j >= mine.length) out.push(onDisk[i++]);
      else if (i >= onDisk.length) out.push(mine[j++]);
      else {
        const a = keyOf(onDisk[i]);
        const b = keyOf(mine[j]);
        if (a < b) out.push(onDisk[i++]);
        else if (b < a) out.push(mine[j++]);
        else {
          out.push(onDisk[i++]);
          j++;
        }
      }
    }
    writeAtomically(cacheFile, out.join('\n') + '\n');
    learned.clear();
    cacheLoaded = false; // the next lookups see the merged file
  } catch {
    /* a read-only temp dir only costs speed */
  }
}

/**
 * Counts of many texts: their pieces never seen before are counted together first (one slice of
 * the vocabulary for all of them, not one per text).
 */
export function countTokensMany(texts: readonly string[]): number[] {
  if (cacheFile === undefined) configureTokenCache(undefined);
  loadCache();
  const out = new Array<number>(texts.length).fill(-1);
  const pending: Array<{ at: number; known: number; unknown: string[] }> = [];
  const unknown = new Set<string>();
  texts.forEach((text, at) => {
    const hit = recent.get(text);
    if (hit !== undefined) {
      out[at] = hit;
      return;
    }
    // One scan: the known pieces summed now, the others counted together below.
    const { known, missing } = scanPieces(text);
    for (const piece of missing) unknown.add(piece);
    pending.push({ at, known, unknown: missing });
  });
  const fresh = unknown.size > 0 ? countNewPieces([...unknown]) : new Map<string, number>();
  for (const p of pending) {
    const text = texts[p.at];
    // A piece that splits differently alone: that text is counted whole.
    const n = fresh ? p.unknown.reduce((sum, piece) => sum + fresh.get(piece)!, p.known) : countTokens(text);
    out[p.at] = n;
    remember(text, n);
  }
  return out;
}

/** How many times the rank tables were loaded in this process (0 or 1). */
export function tokenizerLoadCount(): number {
  return tokenizerLoads;
}

/**
 * Forgets cached piece counts in memory (tests measure the cold path with it); `tables` also
 * forgets that the full tables were loaded, as in a new process.
 */
export function resetTokenCache(opts: { tables?: boolean } = {}): void {
  if (opts.tables) encoderCount = undefined;
  pieces.clear();
  learned.clear();
  recent.clear();
  recentChars = 0;
  disk = null;
  cacheLoaded = false;
}

/** Tokens per second of the counting path over `text`: cold (tables loaded, no piece cache) and warm. */
export function measureCountingSpeed(text: string): { tokens: number; coldTokensPerSecond: number; warmTokensPerSecond: number; tableLoadMs: number } {
  const t0 = performance.now();
  loadEncoder();
  const tableLoadMs = performance.now() - t0;
  const saved = cacheFile;
  cacheFile = null;
  resetTokenCache();
  const t1 = performance.now();
  const tokens = countUncached(text);
  const cold = performance.now() - t1;
  const t2 = performance.now();
  countUncached(text); // every piece cached now; the whole-text memo is bypassed
  const warm = performance.now() - t2;
  cacheFile = saved;
  cacheLoaded = false;
  return { tokens, coldTokensPerSecond: Math.round(tokens / (cold / 1000)), warmTokensPerSecond: Math.round(tokens / (warm / 1000)), tableLoadMs: Math.round(tableLoadMs) };
}
