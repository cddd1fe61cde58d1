import fs from 'node:fs';
import path from 'node:path';
import { asciiJson, lookupSorted, sortedLines, writeAtomically } from '../cache';

/** gpt-tokenizer's small CommonJS parts (exported under the require condition only), on first use; its tables stay unloaded. */
function bpe() {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require('gpt-tokenizer/cjs/BytePairEncodingCore') as typeof import('gpt-tokenizer/cjs/BytePairEncodingCore')),
    ...(require('gpt-tokenizer/cjs/encodingParams/constants') as typeof import('gpt-tokenizer/cjs/encodingParams/constants')),
    ...(require('gpt-tokenizer/cjs/encodingParams/o200k_base') as typeof import('gpt-tokenizer/cjs/encodingParams/o200k_base')),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/**
 * Counting a few pieces never seen before without loading o200k's full tables (~250 ms).
 *
 * Byte-pair encoding of a piece only ever looks up substrings of that piece, and the number of
 * tokens it ends with depends only on the order of their ranks. So the substrings are looked up
 * in a sorted copy of the vocabulary (written to the cache folder by the first process that
 * loads the full tables, searched in place), given ranks in the same order, and gpt-tokenizer's
 * own BytePairEncodingCore encodes the pieces on that slice. Byte sequences that are not UTF-8
 * (the 1.6k byte-level tokens) are always part of the slice. Tested equal to the full tokenizer.
 */
const MAX_TOKEN_BYTES = 128; // the longest o200k token
const MAX_LOOKUPS = 20_000; // beyond this the full tables are cheaper
const STRINGS = 'o200k-vocab-v2.txt';
const BYTES = 'o200k-vocab-bytes-v1.json';

export interface Vocab {
  /** Sorted lines `<JSON string of the token>\t<rank>`. */
  readonly raw: string;
  /** The tokens that are not UTF-8 text: [rank, bytes]. */
  readonly bytes: Array<[number, number[]]>;
}

/** Writes the sorted vocabulary into `dir` from gpt-tokenizer's rank table (atomic; best effort). */
export function writeVocab(dir: string, ranks: ReadonlyArray<string | readonly number[]>): void {
  const strings: Array<[string, number]> = [];
  const bytes: Array<[number, number[]]> = [];
  ranks.forEach((t, rank) => {
    if (typeof t === 'string') strings.push([asciiJson(t), rank]);
    else bytes.push([rank, [...t]]);
  });
  try {
    // The strings file goes last: its presence says the pair is complete.
    writeAtomically(path.join(dir, BYTES), JSON.stringify(bytes));
    writeAtomically(path.join(dir, STRINGS), sortedLines(strings));
  } catch {
    /* a read-only temp dir: the full tables are loaded each time instead */
  }
}

export function readVocab(dir: string): Vocab | undefined {
  try {
    const raw = fs.readFileSync(path.join(dir, STRINGS), 'utf8');
    const bytes = JSON.parse(fs.readFileSync(path.join(dir, BYTES), 'utf8')) as unknown;
    if (!Array.isArray(bytes) || !raw.endsWith('\n')) return undefined;
    return { raw, bytes: bytes as Array<[number, number[]]> };
  } catch {
    return undefined;
  }
}

const NON_ASCII = /[^\t\n\r\x20-\x7e]/; // anything but printable ASCII and common whitespace

/**
 * Exact token counts of `pieces` (each a single o200k pre-token), or undefined when the slice
 * would cost more than the full tables (very long or very many pieces, or malformed text).
 * `known`: the ranks of substrings looked up so far (null: not a token), kept by the caller
 * across calls.
 */
export function countWithSlice(vocab: Vocab, pieces: readonly string[], known: Map<string, number | null> = new Map()): number[] | undefined {
  let lookups = 0;
  const slice = new Map<number, string>();
  for (const piece of pieces) {
    // Substrings at code point boundaries are the byte spans that are UTF-8; the others can only
    // be byte-level tokens, which the slice always holds.
    const cuts: number[] = [0];
    const byteAt: number[] = [0];
    for (let i = 0; i < piece.length; ) {
      const cp = piece.codePointAt(i)!;
      if (cp >= 0xd800 && cp <= 0xdfff) return undefined; // a lone surrogate
      const units = cp > 0xffff ? 2 : 1;
      i += units;
      cuts.push(i);
      byteAt.push(byteAt[byteAt.length - 1] + (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4));
    }
    for (let a = 0; a < cuts.length - 1; a++) {
      for (let b = a + 1; b < cuts.length && byteAt[b] - byteAt[a] <= MAX_TOKEN_BYTES; b++) {
        const sub = piece.slice(cuts[a], cuts[b]);
        let rank = known.get(sub);
        if (rank === undefined) {
          if (++lookups > MAX_LOOKUPS) return undefined;
          const v = lookupSorted(vocab.raw, asciiJson(sub));
          rank = v === undefined ? null : Number(v);
          known.set(sub, rank);
        }
        if (rank !== null) slice.set(rank, sub);
      }
    }
  }
  // Byte-level tokens can only match inside a character of more than one byte.
  const ascii = pieces.every((p) => !NON_ASCII.test(p));
  // Ranks renumbered densely in the same order: the merges happen in the same order.
  const entries: Array<[number, string | number[]]> = [...slice, ...(ascii ? [] : vocab.bytes.map(([r, b]) => [r, b] as [number, number[]]))];
  entries.sort((x, y) => x[0] - y[0]);
  const { BytePairEncodingCore, O200K_TOKEN_SPLIT_REGEX, createO200KSpecialTokenMap } = bpe();
  const core = new BytePairEncodingCore({
    bytePairRankDecoder: entries.map((e) => e[1]),
    specialTokensEncoder: createO200KSpecialTokenMap(),
    tokenSplitRegex: O200K_TOKEN_SPLIT_REGEX,
    mergeCacheSize: 0,
  });
  return pieces.map((p) => core.countNative(p));
}
