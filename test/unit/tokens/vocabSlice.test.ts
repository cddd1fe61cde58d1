import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countWithSlice, readVocab, writeVocab } from '../../../src/core/tokens/vocabSlice';
import { configureTokenCache, countTokens, flushTokenCache, resetTokenCache, tokenizerLoadCount } from '../../../src/core/tokens';

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
