import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Exact o200k_base token counts (MAI-Thinking-1's tokenizer) with gpt-tokenizer.
 *
 * o200k_base first splits text with a fixed regex into pieces and then encodes each piece on
 * its own, so a text's count is exactly the sum of its pieces' counts. We cache counts per
 * piece (in memory, and in a small JSON file shared across processes) and only load
 * gpt-tokenizer's rank tables (~250 ms, tens of MB) when a piece has never been seen: a
 * repository's pieces repeat, so after the first call the CLI rarely pays for the tables, and
 * importing this module never does. The split regex is gpt-tokenizer's own O200K pattern.
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
/** Counts read from the shared cache file: a null-prototype object straight from JSON.parse (no copy). */
let diskPieces: Record<string, number> | null = null;
let newPieces = 0;
let cacheFile: string | null | undefined; // undefined: not configured yet
let cacheLoaded = false;
const MAX_PIECES = 400_000;

function loadEncoder(): CountFn {
  if (!encoderCount) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(text: string, opts?: { disallowedSpecial?: Set<string> }): number };
    const none = new Set<string>();
    encoderCount = (text) => mod.countTokens(text, { disallowedSpecial: none });
    tokenizerLoads++;
  }
  return encoderCount;
}

/** Where piece counts persist across processes (default: the OS temp dir); null: memory only. */
export function configureTokenCache(dir: string | null | undefined): void {
  const next = dir === null ? null : path.join(dir ?? path.join(os.tmpdir(), 'ponder-cache'), 'o200k-pieces-v1.json');
  if (next !== cacheFile) {
    cacheFile = next;
    cacheLoaded = false;
  }
}

function loadCache(): void {
  if (cacheLoaded) return;
  cacheLoaded = true;
  if (!cacheFile) return;
  try {
    const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as unknown;
    if (data && typeof data === 'object' && !Array.isArray(data)) diskPieces = Object.setPrototypeOf(data, null) as Record<string, number>;
  } catch {
    /* missing or torn: start empty, the counts are re-derived from the tokenizer */
  }
}

/**
 * Whole texts counted recently (a warm editor re-renders the same items request after request):
 * hashing a string to look it up is much cheaper than splitting it again.
 */
const recent = new Map<string, number>();
let recentChars = 0;
const RECENT_MAX_CHARS = 32 << 20;

/** Exact o200k_base token count of `text`; never throws on special-token text. */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length >= 256) {
    const hit = recent.get(text);
    if (hit !== undefined) return hit;
    const n = countUncached(text);
    if (recentChars + text.length > RECENT_MAX_CHARS) {
      recent.clear();
      recentChars = 0;
    }
    recent.set(text, n);
    recentChars += text.length;
    return n;
  }
  return countUncached(text);
}

function countUncached(text: string): number {
  if (cacheFile === undefined) configureTokenCache(undefined);
  loadCache();
  let total = 0;
  PIECE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PIECE.exec(text))) {
    const piece = m[0];
    const known = pieces.get(piece) ?? diskPieces?.[piece];
    if (typeof known === 'number') {
      total += known;
      continue;
    }
    const n = countPiece(piece);
    if (n === undefined) return loadEncoder()(text); // a piece that re-splits alone: count the whole text
    total += n;
  }
  return total;
}

/** A piece's count from the tokenizer, cached; undefined when the piece alone would split differently. */
function countPiece(piece: string): number | undefined {
  const again = piece.match(PIECE_CHECK);
  if (!again || again.length !== 1 || again[0] !== piece) return undefined;
  const n = loadEncoder()(piece);
  if (pieces.size < MAX_PIECES) {
    pieces.set(piece, n);
    newPieces++;
  }
  return n;
}

/** Writes the piece counts learned in this process to the shared cache (atomic rename; best effort). */
export function flushTokenCache(): void {
  if (!cacheFile || newPieces === 0) return;
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    // Merge with what other processes wrote meanwhile, then replace atomically.
    let merged: Record<string, number> = {};
    try {
      merged = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Record<string, number>;
    } catch { /* none yet */ }
    if (Object.keys(merged).length > MAX_PIECES) merged = {};
    for (const [k, v] of pieces) merged[k] = v;
    if (Object.keys(merged).length > MAX_PIECES) merged = Object.fromEntries(pieces);
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(merged));
    fs.renameSync(tmp, cacheFile);
    newPieces = 0;
  } catch {
    /* a read-only temp dir only costs speed */
  }
}

/** How many times the rank tables were loaded in this process (0 or 1). */
export function tokenizerLoadCount(): number {
  return tokenizerLoads;
}

/** Forgets cached piece counts in memory (tests measure the cold path with it). */
export function resetTokenCache(): void {
  pieces.clear();
  recent.clear();
  recentChars = 0;
  diskPieces = null;
  newPieces = 0;
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
