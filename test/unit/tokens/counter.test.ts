import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countTokens, configureTokenCache, flushTokenCache, resetTokenCache, TokenCounter } from '../../../src/core/tokens';

// The reference: gpt-tokenizer's own o200k_base counter with special tokens treated as text.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ref = require('gpt-tokenizer/encoding/o200k_base') as { countTokens(t: string, o?: { disallowedSpecial?: Set<string> }): number };
const reference = (t: string) => ref.countTokens(t, { disallowedSpecial: new Set() });

describe('countTokens (o200k_base)', () => {
  before(() => configureTokenCache(null));
  afterEach(() => configureTokenCache(null));

  it('matches gpt-tokenizer exactly on code, prose, unicode and whitespace', () => {
    const samples = [
      fs.readFileSync(path.join(__dirname, '../../../src/core/context/pack.ts'), 'utf8'),
      fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'),
      'Hello, world! It\'s a test; don\'t PANIC.\r\n\r\n\ttabs\t\tand   spaces   \n',
      '日本語のテキストと emoji 😀👍🏽 and Ünïcödé',
      '    indented\n        more\n\n\n',
      '1234567890 3.14159 0xDEADBEEF',
    ];
    for (const s of samples) assert.equal(countTokens(s), reference(s), JSON.stringify(s.slice(0, 40)));
  });

  it('splits text with gpt-tokenizer\'s own o200k expression: a counter of its own agrees, piece for piece', () => {
    // Texts where the split decides the count: contractions, case runs, digits, line breaks.
    const samples = ["we'LL'Ve DON'T it's", 'HTTPServerError parseJSON xmlHTTPRequest', '12345678 1,234.5', 'a\r\n\r\n  b\n\n\n  /path//x\n'];
    const own = new TokenCounter(null);
    for (const s of samples) assert.equal(own.count(s), reference(s), JSON.stringify(s));
    assert.deepEqual(own.countMany(samples), samples.map(reference));
  });

  it('counts special-token text such as <|endoftext|> as plain text and does not throw', () => {
    const s = 'before <|endoftext|> middle <|im_start|>system<|im_end|> after <|fim_prefix|>';
    assert.doesNotThrow(() => countTokens(s));
    assert.equal(countTokens(s), reference(s));
    assert.ok(countTokens('<|endoftext|>') > 1, 'as text it is several tokens, not the single special token');
  });

  it('gives the same count from the piece cache as from a cold count', () => {
    const s = 'export const parseRoute = (path: string) => path.split("/").filter(Boolean)\n';
    const cold = countTokens(s);
    assert.equal(countTokens(s), cold);
    resetTokenCache();
    assert.equal(countTokens(s + s), reference(s + s));
  });

  it('persists piece counts in a cache file shared across processes, and skips torn lines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-tok-'));
    try {
      configureTokenCache(dir);
      resetTokenCache();
      const text = 'const uniquePieceForCacheTest = 42 // ünïcödé';
      const n = countTokens(text);
      flushTokenCache();
      const file = path.join(dir, 'o200k-pieces-v3.txt');
      const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
      assert.ok(lines.some((l) => l.startsWith('" unique"\t')), 'pieces were written');
      assert.deepEqual([...lines].sort(), lines, 'lines are sorted (they are binary-searched in place)');
      assert.ok(lines.every((l) => [...l].every((c) => c.charCodeAt(0) < 128)), 'ASCII only (non-ASCII pieces escaped)');
      assert.ok(lines.some((l) => l.includes('\\u00fc')), 'the non-ASCII piece is there, escaped');
      // Another process reads the file: the counts it finds there are the ones it uses.
      resetTokenCache();
      assert.equal(countTokens(text), n);
      const doctored = lines.map((l) => (l.startsWith('" unique"\t') ? '" unique"\t40' : l));
      assert.notDeepEqual(doctored, lines, 'the piece is in the file');
      fs.writeFileSync(file, ['{torn', ...doctored].join('\n'));
      fs.rmSync(path.join(dir, 'o200k-texts-v1.txt')); // the whole text's count, kept apart (next test)
      resetTokenCache();
      assert.ok(countTokens(text) > n + 30, 'the count came from the file');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the counts of short whole texts (headers, fences, cut chunks) across processes, so a repeat call need not split them again', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-tok-'));
    try {
      configureTokenCache(dir);
      resetTokenCache();
      const header = '### packages/core/src/router.ts (lines 10-42)\n';
      const long = 'x = 1\n'.repeat(100); // over the length kept
      const n = countTokens(header);
      assert.equal(n, reference(header));
      countTokens(long);
      flushTokenCache();
      const file = path.join(dir, 'o200k-texts-v1.txt');
      const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
      assert.deepEqual(lines, [`${JSON.stringify(header)}\t${n}`], 'the short text, not the long one');
      // A new process takes the count from the file: doctored, it shows.
      fs.writeFileSync(file, `${JSON.stringify(header)}\t${n + 1000}\n`);
      resetTokenCache();
      assert.equal(countTokens(header), n + 1000);
      fs.writeFileSync(file, `${JSON.stringify(header)}\t{torn\n`);
      resetTokenCache();
      assert.equal(countTokens(header), n, 'a torn line is a miss');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('merges what two processes learned into one sorted file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-tok-'));
    try {
      configureTokenCache(dir);
      resetTokenCache();
      countTokens('zebraPieceFromProcessOne');
      flushTokenCache();
      resetTokenCache(); // another process
      countTokens('yakPieceFromProcessTwo');
      flushTokenCache();
      const lines = fs.readFileSync(path.join(dir, 'o200k-pieces-v3.txt'), 'utf8').split('\n').filter(Boolean);
      assert.ok(lines.some((l) => l.startsWith('"zebra"\t')) && lines.some((l) => l.startsWith('"yak"\t')), 'both kept');
      assert.deepEqual([...lines].sort(), lines, 'still sorted');
      assert.equal(new Set(lines.map((l) => l.split('\t')[0])).size, lines.length, 'no piece twice');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
