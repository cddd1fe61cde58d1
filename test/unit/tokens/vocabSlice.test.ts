import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countWithSlice, readVocab, writeVocab } from '../../../src/core/tokens/vocabSlice';
import { configureTokenCache, countTokens, flushTokenCache, resetTokenCache, tokenizerLoadCount, TokenCounter } from '../../../src/core/tokens';

// The reference: gpt-tokenizer's full o200k_base counter with special tokens treated as text.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ref = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o?: { disallowedSpecial?: Set<string> }): number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ranks = (require('gpt-tokenizer/cjs/bpeRanks/o200k_base') as { default: Array<string | number[]> }).default;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { O200K_TOKEN_SPLIT_REGEX } = require('gpt-tokenizer/cjs/encodingParams/constants') as { O200K_TOKEN_SPLIT_REGEX: RegExp };
const none = new Set<string>();
const reference = (t: string) => ref.countTokens(t, { disallowedSpecial: none });

describe('counting new pieces from a slice of the vocabulary (no full tables)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-vocab-'));
    writeVocab(dir, ranks);
  });
  after(() => {
    configureTokenCache(null);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives exactly the full tokenizer’s count for every piece of real code, prose and unicode', () => {
    const vocab = readVocab(dir);
    assert.ok(vocab, 'the vocabulary was written and reads back');
    const text = [
      fs.readFileSync(path.join(__dirname, '../../../src/core/context/pack.ts'), 'utf8'),
      fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8'),
      '日本語のテキスト, emoji 😀👍🏽, Ünïcödé, ﷽, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, zero\u200bwidth, <|endoftext|>',
      'supercalifragilisticexpialidociousAntidisestablishmentarianism ' + ' '.repeat(70) + '='.repeat(40) + '\n\n\n',
    ].join('\n');
    const pieces = [...new Set(text.match(O200K_TOKEN_SPLIT_REGEX) ?? [])];
    assert.ok(pieces.length > 500);
    // In batches, as the engine asks.
    for (let i = 0; i < pieces.length; i += 40) {
      const batch = pieces.slice(i, i + 40);
      const counts = countWithSlice(vocab, batch);
      assert.ok(counts, 'a batch of ordinary pieces is counted from the slice');
      batch.forEach((p, k) => assert.equal(counts[k], reference(p), JSON.stringify(p)));
    }
  });

  it('declines what would cost more than the full tables', () => {
    const vocab = readVocab(dir)!;
    const many = Array.from({ length: 3000 }, (_, i) => `identifierNumber${i.toString(36)}Qx`);
    assert.equal(countWithSlice(vocab, many), undefined);
  });

  it('uses the vocabulary shipped beside the bundle: a first process with an empty cache folder neither loads the tables nor sorts a copy', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-vocab-cache-'));
    try {
      const counter = new TokenCounter(cache, { vocabDir: dir }); // dir: what esbuild.mjs writes into dist/
      const text = 'export function zanzibarQuokkaRelay(input: Ärger[]) { return input.map((x) => x * 7) }\n';
      assert.equal(counter.count(text), reference(text));
      assert.equal(counter.tableLoadCount, 0, 'the full tables were not loaded');
      counter.flush();
      assert.deepEqual(fs.readdirSync(cache).filter((f) => f.startsWith('o200k-vocab')), [], 'no copy of the vocabulary in the cache folder');
      // Without a shipped copy (run from source), the first process loads the tables and leaves one.
      const alone = new TokenCounter(cache, { vocabDir: path.join(cache, 'none') });
      assert.equal(alone.count(text + ' quokkaZanzibar'), reference(text + ' quokkaZanzibar'));
      assert.equal(alone.tableLoadCount, 1);
      assert.ok(readVocab(cache), 'the sorted vocabulary was left in the cache folder');
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('lets a new process count new text exactly without loading the tables', () => {
    configureTokenCache(dir); // the folder that holds the vocabulary
    resetTokenCache({ tables: true });
    const loads = tokenizerLoadCount();
    const text = 'const freshlyInventedIdentifier = computeQuuxFrobnication(zorblax, 42) // ünïque\n';
    assert.equal(countTokens(text), reference(text));
    assert.equal(tokenizerLoadCount(), loads, 'the full tables were not loaded');
    flushTokenCache();
    resetTokenCache({ tables: true });
    assert.equal(countTokens(text + text), reference(text + text), 'and the learned pieces are reused');
    assert.equal(tokenizerLoadCount(), loads);
  });
});
