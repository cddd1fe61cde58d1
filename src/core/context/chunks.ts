import { countTokensMany } from '../tokens';

/**
 * Exact o200k_base counts of rendered items without re-tokenizing the files in them.
 *
 * o200k's pre-tokenizer never lets a piece run across the start of a line that holds a
 * non-space character and does not begin with `/` or `\r`: the pieces that may contain a
 * newline are newline runs (which end at the last newline before such a line) and
 * punctuation followed by `[\r\n/]*` (which stops at any other first character). Lines cannot
 * be bridged any other way, and the pre-tokenizer has no lookbehind. So a text's count is the
 * sum of the counts of its "chunks", the runs of lines between such line starts, each counted
 * on its own (with its trailing newline). Checked against gpt-tokenizer on real files and on
 * adversarial random text (test/unit/context/chunks.test.ts).
 *
 * A file's chunk counts are kept per content (FileChunks.counts, -1 = not counted yet) and an
 * item reuses every chunk it renders unchanged, so growing an excerpt, or packing the same file
 * in the next request or the next process, counts only the lines around its cuts.
 */
export function isChunkStart(line: string): boolean {
  const c = line.charCodeAt(0);
  return c !== 47 /* / */ && c !== 13 /* \r */ && NON_SPACE.test(line);
}
const NON_SPACE = /\S/;

/** A file's lines as rendered, and its chunk counts (persisted by content). */
export interface FileChunks {
  readonly lines: readonly string[];
  /** Per line: -1 unknown or not a chunk start, else the tokens of the chunk starting there. */
  readonly counts: number[];
  /** Each excerpt block's distinct terms (pack.ts ranks blocks by them), kept beside the counts. */
  blockTerms?: string[][];
  /** The file's excerpt blocks, flattened [start, end, ...] (blocks.ts), kept beside the counts. */
  blocks?: number[];
  /** Set when counts, blocks or block terms were added (the index writes them back to its cache). */
  dirty: boolean;
  /** Per line: 1 when a chunk starts there (line 0 always), lazily. */
  starts?: Uint8Array;
  /** Per chunk start: the line after its last line, lazily. */
  ends?: Int32Array;
}

export function fileChunks(lines: readonly string[], counts?: number[]): FileChunks {
  const ok = counts && counts.length === lines.length;
  return { lines, counts: ok ? counts : new Array<number>(lines.length).fill(-1), dirty: false };
}

function layout(f: FileChunks): { starts: Uint8Array; ends: Int32Array } {
  if (f.starts && f.ends) return { starts: f.starts, ends: f.ends };
  const n = f.lines.length;
  const starts = new Uint8Array(n);
  const ends = new Int32Array(n);
  let open = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || isChunkStart(f.lines[i])) {
      if (i > 0) ends[open] = i;
      starts[i] = 1;
      open = i;
    }
  }
  if (n > 0) ends[open] = n;
  f.starts = starts;
  f.ends = ends;
  return { starts, ends };
}

/**
 * Tokens of `lines.join('\n')`, where `src[r]` is the file line rendered as line r (or -1 for
 * lines of the item's own: header, fences, separators). Chunks made only of a file chunk, whole
 * and followed by more text, come from `file`; the rest is counted.
 */
export function countLines(lines: readonly string[], src: ArrayLike<number>, file?: FileChunks): number {
  const n = lines.length;
  const lay = file ? layout(file) : undefined;
  // A rendered file line is the file's line, so the file's flags answer (its line 0 starts a
  // chunk in the file only because the file starts there).
  const startsAt = (r: number) => {
    const f = src[r];
    return lay && f > 0 ? lay.starts[f] === 1 : isChunkStart(lines[r]);
  };
  // First the chunks and what each needs counted; then one batch (new pieces counted together).
  let total = 0;
  const todo: string[] = [];
  const slots: Array<number | undefined> = []; // file line whose count a todo text fills
  for (let r = 0; r < n; ) {
    let r2 = r + 1;
    while (r2 < n && !startsAt(r2)) r2++;
    const f = src[r];
    if (file && lay && f >= 0 && r2 < n && lay.starts[f] === 1 && lay.ends[f] === f + (r2 - r) && consecutive(src, r, r2, f)) {
      if (file.counts[f] >= 0) total += file.counts[f];
      else {
        todo.push(joinLines(lines, r, r2, true));
        slots.push(f);
      }
    } else {
      todo.push(joinLines(lines, r, r2, r2 < n));
      slots.push(undefined);
    }
    r = r2;
  }
  if (todo.length === 0) return total;
  const counts = countTokensMany(todo);
  counts.forEach((c, k) => {
    total += c;
    const f = slots[k];
    if (f !== undefined && file) {
      file.counts[f] = c;
      file.dirty = true;
    }
  });
  return total;
}

function consecutive(src: ArrayLike<number>, r: number, r2: number, f: number): boolean {
  for (let k = r + 1; k < r2; k++) if (src[k] !== f + (k - r)) return false;
  return true;
}

function joinLines(lines: readonly string[], from: number, to: number, newline: boolean): string {
  let s = lines[from];
  for (let k = from + 1; k < to; k++) s += '\n' + lines[k];
  return newline ? s + '\n' : s;
}
