import fs from 'node:fs';
import path from 'node:path';
import { asciiJson, cacheDir, lookupSorted, sortedLines, writeAtomically } from '../cache';
import { pieceSplitter } from './pieces';
import { countWithSlice, readVocab, writeVocab, type Vocab } from './vocabSlice';

/**
 * Exact o200k_base token counts (MAI-Thinking-1's tokenizer) with gpt-tokenizer.
 *
 * o200k_base first splits text with a fixed regex into pieces and then encodes each piece on
 * its own, so a text's count is exactly the sum of its pieces' counts. A TokenCounter caches
 * counts per piece (in memory, and in a sorted file shared across processes, searched in
 * place). A piece never seen is counted on a slice of the vocabulary (vocabSlice.ts);
 * gpt-tokenizer's full rank tables (~250 ms to load) are needed only until a first process has
 * written that sorted vocabulary, or for a batch too large for a slice. Creating a counter
 * loads neither. The split regex is gpt-tokenizer's own (pieces.ts).
 *
 * Special-token text such as `<|endoftext|>` is counted as plain text (no special tokens
 * allowed, none disallowed): that is also how the renderer sends it.
 */
type CountFn = (text: string) => number;

const MAX_PIECES = 400_000;
const RECENT_MAX_CHARS = 32 << 20;
const RECENT_MAX_ENTRIES = 200_000;
/** The piece-count file's name; its lines are `<JSON string of the piece>\t<count>`. */
const PIECE_FILE = 'o200k-pieces-v3.txt';
/**
 * Whole short texts' counts, the same format: the headers, fences and cut chunks that packing
 * counts again in every process. Apart from the pieces, because a text that is one piece in
 * context may split into several alone (and then counts differently).
 */
const TEXT_FILE = 'o200k-texts-v1.txt';
/** Texts up to this length have their counts kept across processes, up to this many (the file stays a few MB). */
const SHORT_TEXT = 256;
const MAX_TEXTS = 50_000;

/**
 * Where the build put the sorted vocabulary (esbuild.mjs writes it beside the bundles, so a
 * first process never sorts the tables itself). Run from source there is none: the first process
 * that loads the full tables leaves a copy in the cache folder instead.
 */
const SHIPPED_VOCAB_DIR = __dirname;

/** The full tables, loaded on first need (bundled apart as dist/tokenizer.js). */
function requireFullTokenizer(): typeof import('./o200kFull') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./o200kFull') as typeof import('./o200kFull');
}

export class TokenCounter {
  private readonly pieceScan = pieceSplitter();
  /** A second instance: checking one piece must not move the main scan's lastIndex. */
  private readonly pieceCheck = pieceSplitter();
  private encoderCount: CountFn | undefined;
  private tableLoads = 0;
  private readonly pieces = new Map<string, number>();
  /**
   * The shared cache file, as read: one line per piece, sorted, searched in place
   * (sortedLines.ts): a run needs a few hundred of its tens of thousands of pieces, so nothing
   * is parsed up front.
   */
  private disk: string | null = null;
  /** The sorted vocabulary for counting new pieces without the full tables (vocabSlice.ts). */
  private vocab: Vocab | null | undefined;
  /** Ranks of vocabulary substrings looked up so far (null: not a token). */
  private readonly vocabRanks = new Map<string, number | null>();
  /** Pieces counted (not read from the file) in this process since the last flush. */
  private readonly learned = new Map<string, number>();
  /** The shared file of short texts' counts, as read (like `disk`), and those counted since the last flush. */
  private textDisk: string | null = null;
  private readonly learnedTexts = new Map<string, number>();
  /** undefined: not configured yet (the user's cache folder on first use); null: memory only. */
  private cacheFile: string | null | undefined;
  private cacheLoaded = false;
  /**
   * Whole texts counted recently (a warm editor re-renders the same items request after
   * request): hashing a string to look it up is much cheaper than splitting it again.
   */
  private readonly recent = new Map<string, number>();
  private recentChars = 0;

  private readonly shippedVocabDir: string;

  /**
   * `dir`: where piece counts persist across processes (undefined: the user's cache folder; null: memory only).
   * `vocabDir`: where a shipped sorted vocabulary is looked for first (default: beside the bundle).
   */
  constructor(dir?: string | null, opts: { vocabDir?: string } = {}) {
    this.shippedVocabDir = opts.vocabDir ?? SHIPPED_VOCAB_DIR;
    if (dir !== undefined) this.configure(dir);
  }

  /** Where piece counts persist across processes (default: the user's cache folder); null: memory only. */
  configure(dir: string | null | undefined): void {
    const next = dir === null ? null : path.join(cacheDir(dir), PIECE_FILE);
    if (next !== this.cacheFile) {
      this.cacheFile = next;
      this.cacheLoaded = false;
      this.vocab = undefined; // the cache folder may hold a copy of its own
    }
  }

  /** Exact o200k_base token count of `text`; never throws on special-token text. */
  count(text: string): number {
    if (text.length === 0) return 0;
    const hit = this.knownText(text);
    if (hit !== undefined) return hit;
    const n = this.countUncached(text);
    this.remember(text, n);
    this.learnText(text, n);
    return n;
  }

  /**
   * Counts of many texts: their pieces never seen before are counted together first (one slice
   * of the vocabulary for all of them, not one per text).
   */
  countMany(texts: readonly string[]): number[] {
    this.loadCache();
    const out = new Array<number>(texts.length).fill(-1);
    const pending: Array<{ at: number; known: number; unknown: string[] }> = [];
    const unknown = new Set<string>();
    texts.forEach((text, at) => {
      const hit = this.knownText(text);
      if (hit !== undefined) {
        out[at] = hit;
        return;
      }
      // One scan: the known pieces summed now, the others counted together below.
      const { known, missing } = this.scanPieces(text);
      for (const piece of missing) unknown.add(piece);
      pending.push({ at, known, unknown: missing });
    });
    const fresh = unknown.size > 0 ? this.countNewPieces([...unknown]) : new Map<string, number>();
    for (const p of pending) {
      const text = texts[p.at];
      // A piece that splits differently alone: that text is counted whole.
      const n = fresh ? p.unknown.reduce((sum, piece) => sum + fresh.get(piece)!, p.known) : this.count(text);
      out[p.at] = n;
      this.remember(text, n);
      this.learnText(text, n);
    }
    return out;
  }

  /** A text's count when this process or the shared file knows it (nothing is split). */
  private knownText(text: string): number | undefined {
    const hit = this.recent.get(text);
    if (hit !== undefined || text.length > SHORT_TEXT) return hit;
    this.loadCache();
    if (!this.textDisk) return undefined;
    const v = lookupSorted(this.textDisk, asciiJson(text));
    const n = v === undefined ? NaN : Number(v);
    if (!Number.isInteger(n) || n < 0) return undefined; // none, or a torn line
    this.remember(text, n);
    return n;
  }

  private learnText(text: string, n: number): void {
    if (text.length <= SHORT_TEXT && this.cacheFile && this.learnedTexts.size < MAX_TEXTS) this.learnedTexts.set(text, n);
  }

  /** Writes the piece (and short text) counts learned since the last flush to the shared files (merged, sorted, atomic rename; best effort). */
  flush(): void {
    const file = this.cacheFile;
    if (!file) return;
    if (mergeInto(file, this.learned, MAX_PIECES) + mergeInto(path.join(path.dirname(file), TEXT_FILE), this.learnedTexts, MAX_TEXTS) > 0) {
      this.cacheLoaded = false; // the next lookups see the merged files
    }
  }

  /** Loads the full rank tables now (benchmarks time it); counting loads them when it must. */
  loadTables(): void {
    this.encoder();
  }

  /** How many times this counter loaded the rank tables (0 or 1). */
  get tableLoadCount(): number {
    return this.tableLoads;
  }

  /**
   * Forgets what is held in memory, as in a new process: the texts counted, and unless
   * `pieces` is false the piece counts too; `tables` also forgets that the full tables were
   * loaded. The files on disk stay.
   */
  forget(opts: { pieces?: boolean; tables?: boolean } = {}): void {
    if (opts.tables) this.encoderCount = undefined;
    this.recent.clear();
    this.recentChars = 0;
    if (opts.pieces === false) return;
    this.pieces.clear();
    this.learned.clear();
    this.learnedTexts.clear();
    this.disk = null;
    this.textDisk = null;
    this.cacheLoaded = false;
    this.vocab = undefined;
  }

  private encoder(): CountFn {
    if (!this.encoderCount) {
      const full = requireFullTokenizer();
      const none = new Set<string>();
      this.encoderCount = (text) => full.countTokens(text, { disallowedSpecial: none });
      this.tableLoads++;
      // Leave the sorted vocabulary for the next processes, so they count new pieces without the tables.
      if (this.cacheFile && !this.sortedVocab()) writeVocab(path.dirname(this.cacheFile), full.ranks);
    }
    return this.encoderCount;
  }

  private loadCache(): void {
    if (this.cacheFile === undefined) this.configure(undefined);
    if (this.cacheLoaded) return;
    this.cacheLoaded = true;
    this.disk = null;
    this.textDisk = null;
    if (!this.cacheFile) return;
    try {
      this.disk = fs.readFileSync(this.cacheFile, 'utf8');
    } catch {
      /* none yet: counts are re-derived */
    }
    try {
      this.textDisk = fs.readFileSync(path.join(path.dirname(this.cacheFile), TEXT_FILE), 'utf8');
    } catch {
      /* none yet */
    }
  }

  /** The cached count of a piece, or undefined; a torn or foreign line reads as a miss. */
  private diskCount(piece: string): number | undefined {
    if (!this.disk) return undefined;
    const v = lookupSorted(this.disk, asciiJson(piece));
    const n = v === undefined ? NaN : Number(v);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  }

  /** Short texts too: chunk counting (chunks.ts) asks for the same headers, fences and lines again. */
  private remember(text: string, n: number): void {
    if (this.recentChars + text.length > RECENT_MAX_CHARS || this.recent.size >= RECENT_MAX_ENTRIES) {
      this.recent.clear();
      this.recentChars = 0;
    }
    this.recent.set(text, n);
    this.recentChars += text.length;
  }

  private countUncached(text: string): number {
    this.loadCache();
    const { known, missing } = this.scanPieces(text);
    if (missing.length === 0) return known;
    const fresh = this.countNewPieces([...new Set(missing)]);
    if (!fresh) return this.encoder()(text); // a piece that splits differently alone: count the whole text
    return missing.reduce((sum, piece) => sum + fresh.get(piece)!, known);
  }

  /** One scan of a text: the summed counts of the pieces known (memory or file), and the others. */
  private scanPieces(text: string): { known: number; missing: string[] } {
    let known = 0;
    const missing: string[] = [];
    const scan = this.pieceScan;
    scan.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = scan.exec(text))) {
      const piece = m[0];
      let n = this.pieces.get(piece);
      if (n === undefined) {
        n = this.diskCount(piece);
        if (n !== undefined) this.pieces.set(piece, n);
      }
      if (n !== undefined) known += n;
      else missing.push(piece);
    }
    return { known, missing };
  }

  /** The sorted vocabulary: the one shipped with the build, else the cache folder's copy; null: none. */
  private sortedVocab(): Vocab | null {
    if (this.vocab === undefined) this.vocab = readVocab(this.shippedVocabDir) ?? (this.cacheFile ? readVocab(path.dirname(this.cacheFile)) : undefined) ?? null;
    return this.vocab;
  }

  /**
   * Counts of pieces never seen: from a slice of the vocabulary while the full tables are not
   * loaded (vocabSlice.ts), else from the tables; cached. Undefined when a piece would split
   * differently on its own.
   */
  private countNewPieces(list: string[]): Map<string, number> | undefined {
    for (const piece of list) {
      const again = piece.match(this.pieceCheck);
      if (!again || again.length !== 1 || again[0] !== piece) return undefined;
    }
    const vocab = this.encoderCount ? null : this.sortedVocab();
    const counts = vocab ? countWithSlice(vocab, list, this.vocabRanks) : undefined;
    const out = new Map<string, number>();
    list.forEach((piece, i) => {
      const n = counts ? counts[i] : this.encoder()(piece);
      out.set(piece, n);
      if (this.pieces.size < MAX_PIECES) {
        this.pieces.set(piece, n);
        this.learned.set(piece, n);
      }
    });
    return out;
  }
}

/**
 * Merges `learned` into the sorted `key\tvalue` file (other processes write it too: two sorted
 * lists, no parsing), then forgets it; returns how many entries were written (0: none, or the
 * folder is read-only, which only costs speed).
 */
function mergeInto(file: string, learned: Map<string, number>, max: number): number {
  const n = learned.size;
  if (n === 0) return 0;
  try {
    let onDisk: string[] = [];
    try {
      onDisk = fs.readFileSync(file, 'latin1').split('\n').filter((l) => l.includes('\t'));
    } catch {
      /* none yet */
    }
    if (onDisk.length + n > max) onDisk = []; // start over rather than grow without end
    const mine = sortedLines([...learned].map(([k, v]) => [asciiJson(k), v] as const)).split('\n').filter(Boolean);
    writeAtomically(file, mergeSorted(onDisk, mine).join('\n') + '\n');
    learned.clear();
    return n;
  } catch {
    return 0;
  }
}

/** Two sorted `key\tvalue` line lists merged; on equal keys the first list's line wins. */
function mergeSorted(first: readonly string[], second: readonly string[]): string[] {
  const out: string[] = [];
  const keyOf = (l: string) => l.slice(0, l.indexOf('\t'));
  let i = 0;
  let j = 0;
  while (i < first.length || j < second.length) {
    if (j >= second.length) out.push(first[i++]);
    else if (i >= first.length) out.push(second[j++]);
    else {
      const a = keyOf(first[i]);
      const b = keyOf(second[j]);
      if (a < b) out.push(first[i++]);
      else if (b < a) out.push(second[j++]);
      else {
        out.push(first[i++]);
        j++;
      }
    }
  }
  return out;
}
