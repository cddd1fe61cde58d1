import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countLines, fileChunks, isChunkStart } from '../../../src/core/context/chunks';
import { renderFileLines } from '../../../src/core/context/render';
import { configureTokenCache, resetTokenCache } from '../../../src/core/tokens';
import { ANALYSIS_VERSION } from '../../../src/core/cache';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { filler, rm, tempRepo } from './helpers';

// The reference: gpt-tokenizer's own o200k_base counter with special tokens treated as text.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ref = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o?: { disallowedSpecial?: Set<string> }): number };
const none = new Set<string>();
const reference = (t: string) => ref.countTokens(t, { disallowedSpecial: none });

/** Splits a text where chunks.ts says o200k always splits. */
function chunksOf(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  let cur = lines[0];
  for (let i = 1; i < lines.length; i++) {
    if (isChunkStart(lines[i])) {
      out.push(cur + '\n');
      cur = lines[i];
    } else cur += '\n' + lines[i];
  }
  out.push(cur);
  return out;
}

/** A small seeded PRNG, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SOURCES = ['src/core/context/pack.ts', 'src/core/context/blocks.ts', 'src/core/run/runRequest.ts', 'README.md', 'package.json', 'node_modules/zod/v4/core/schemas.js', 'node_modules/marked/lib/marked.esm.js'].map((p) => path.join(__dirname, '../../..', p));

describe('chunked token counting (exact o200k without re-tokenizing files)', () => {
  before(() => configureTokenCache(null));
  afterEach(() => configureTokenCache(null));

  it('a text counts as the sum of its chunks: real files and adversarial random text', () => {
    for (const file of SOURCES) {
      const text = fs.readFileSync(file, 'utf8');
      const sum = chunksOf(text).reduce((n, c) => n + reference(c), 0);
      assert.equal(sum, reference(text), path.basename(file));
    }
    // Lines that begin with '/', '\r', blanks, unicode spaces, punctuation runs ending in newlines...
    const atoms = ['\n', '\n', '\r\n', '\r', ' ', '  ', '\t', '\u00a0', '\u2028', '\u0085', '/', '//', '/*', '*/', '}', '{', ';', 'foo', 'Bar', 'x1', '123', "'s", 'é', '日本', '⋮', '```', '<|endoftext|>', '=>', '"'];
    const rnd = prng(42);
    for (let k = 0; k < 3000; k++) {
      let s = '';
      const len = 1 + Math.floor(rnd() * 40);
      for (let i = 0; i < len; i++) s += atoms[Math.floor(rnd() * atoms.length)];
      const sum = chunksOf(s).reduce((n, c) => n + reference(c), 0);
      assert.equal(sum, reference(s), JSON.stringify(s));
    }
  });

  it('counts rendered excerpts exactly from a file’s cached chunks, and a repeat counts nothing new', () => {
    const rnd = prng(7);
    for (const file of SOURCES) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const chunks = fileChunks(lines);
      for (let k = 0; k < 25; k++) {
        const ranges: Array<[number, number]> = [];
        let at = 1 + Math.floor(rnd() * 20);
        while (at <= lines.length && ranges.length < 4) {
          const end = Math.min(lines.length, at + Math.floor(rnd() * 60));
          ranges.push([at, end]);
          at = end + 2 + Math.floor(rnd() * 80);
        }
        const r = renderFileLines('src/x.ts', lines, k === 0 ? undefined : ranges);
        const text = r.lines.join('\n');
        assert.equal(countLines(r.lines, r.src, chunks), reference(text), `${path.basename(file)} ${JSON.stringify(ranges)}`);
        // The same item again: every file chunk is known now.
        chunks.dirty = false;
        const before = [...chunks.counts];
        assert.equal(countLines(r.lines, r.src, chunks), reference(text));
        assert.deepEqual(chunks.counts, before);
        assert.equal(chunks.dirty, false);
      }
      assert.ok(chunks.counts.some((n) => n > 0), 'chunk counts were kept');
    }
  });

  it('keeps chunk counts across processes: a second run packs the same items with the same counts', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-chunks-'));
    const root = tempRepo({ 'src/main.ts': "import { helper } from './helper'\nexport const main = () => helper()\n", 'src/helper.ts': filler('helperFn', 120), 'src/other.ts': filler('otherFn', 60) });
    try {
      const req = { query: 'helper', activeFile: 'src/main.ts', selection: [2, 2] as [number, number], budget: 1500, repoMap: false };
      const first = await packContext(req, new NodeWorkspace([root]), { git: false, cacheDir: cache });
      const file = path.join(cache, `analysis-${ANALYSIS_VERSION}.data`);
      assert.ok(fs.readFileSync(file, 'utf8').split('\n').some((l) => l.includes('#p"') && l.includes('"chunkTokens":[')), 'chunk counts were written');
      resetTokenCache(); // a new process: nothing in memory
      const second = await packContext(req, new NodeWorkspace([root]), { git: false, cacheDir: cache });
      assert.deepEqual(second.items.map((i) => [i.path, i.ranges, i.tokens]), first.items.map((i) => [i.path, i.ranges, i.tokens]));
      for (const i of second.items) assert.equal(i.tokens, reference(i.text), i.path);
      assert.ok(second.items.some((i) => i.ranges), 'the big file was excerpted (its counts came from cached chunks)');
    } finally {
      rm(root);
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
