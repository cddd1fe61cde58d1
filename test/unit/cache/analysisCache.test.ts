import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalysisCache, type Analysis } from '../../../src/core/cache';

const analysis = (n: number): Analysis => ({ termCounts: ['term', n, 'ünïcödé', 1], termTotal: n + 1, imports: [], symbols: [{ name: `sym${n}`, line: n, exported: true }] });

describe('analysis cache (shared by CLI processes)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-acache-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const prefix = () => path.join(dir, 'analysis-test');

  it('gives a later process the same records, from the recent file or from the archive by its index', () => {
    const first = new AnalysisCache(prefix());
    for (let i = 0; i < 50; i++) first.put(`key${i}`, analysis(i));
    first.putPackData('key1', { chunkTokens: [3, -1, 5], blockTerms: ['alpha beta', ''], blocks: [1, 4], redactionCount: 0 });
    first.flush();
    for (const f of ['.data', '.index', '.recent.jsonl']) assert.ok(fs.existsSync(prefix() + f), f);
    assert.ok([...fs.readFileSync(prefix() + '.data', 'latin1')].every((c) => c.charCodeAt(0) < 128), 'ASCII only');

    const second = new AnalysisCache(prefix());
    assert.deepEqual(second.get('key7'), analysis(7));
    assert.deepEqual(second.getPackData('key1'), { chunkTokens: [3, -1, 5], blockTerms: ['alpha beta', ''], blocks: [1, 4], redactionCount: 0 });
    assert.equal(second.get('missing'), undefined);
    second.flush(); // used fewer records: the recent file now holds just those

    fs.rmSync(prefix() + '.recent.jsonl');
    const third = new AnalysisCache(prefix());
    assert.deepEqual(third.get('key42'), analysis(42), 'read from the archive by offset');
    assert.equal(third.getPackData('key42'), undefined, 'an analysis is not a pack-data record');
  });

  it('a run that used a few of the recent records (a repeat call after a first one) leaves only those to be read next time', () => {
    const first = new AnalysisCache(prefix());
    for (let i = 0; i < 600; i++) first.put(`key${i}`, analysis(i));
    first.flush();
    const lines = () => fs.readFileSync(prefix() + '.recent.jsonl', 'latin1').split('\n').filter(Boolean).length;
    assert.equal(lines(), 600);
    const second = new AnalysisCache(prefix());
    second.get('key3');
    second.get('key500');
    second.flush();
    assert.equal(lines(), 2);
    const third = new AnalysisCache(prefix());
    assert.deepEqual(third.get('key500'), analysis(500));
    assert.deepEqual(third.get('key42'), analysis(42), 'the others still come from the archive');
  });

  it('reads a record in the older short-field shape as a miss, not as data', () => {
    // Older versions wrote {tf, len} and {k, b, bl, rn, red}; such a line under a current key is not misread.
    fs.writeFileSync(prefix() + '.recent.jsonl', '["old",{"tf":["term",2],"len":2,"imports":[],"symbols":[]}]\n["old#p",{"k":[3],"rn":0}]\n', 'latin1');
    const c = new AnalysisCache(prefix());
    assert.equal(c.get('old'), undefined);
    assert.deepEqual(c.getPackData('old'), undefined);
  });

  it('treats a record that is not where the index says (a writers race, a torn file) as a miss', () => {
    const c = new AnalysisCache(prefix());
    c.put('a', analysis(1));
    c.put('b', analysis(2));
    c.flush();
    fs.rmSync(prefix() + '.recent.jsonl');
    const data = fs.readFileSync(prefix() + '.data', 'latin1');
    fs.writeFileSync(prefix() + '.data', data.replace('["a"', '["x"'), 'latin1');
    fs.appendFileSync(prefix() + '.index', 'c 999999 40\nbroken line\n');
    const d = new AnalysisCache(prefix());
    assert.equal(d.get('a'), undefined);
    assert.equal(d.get('c'), undefined);
    assert.deepEqual(d.get('b'), analysis(2));
  });

  it('compacts the archive to its newest records when it grows past its limit', () => {
    const limits = { compactAt: 20_000, keepBytes: 10_000 };
    for (let run = 0; run < 20; run++) {
      const c = new AnalysisCache(prefix(), limits);
      for (let i = 0; i < 20; i++) c.put(`r${run}-${i}`, analysis(run * 100 + i));
      c.flush();
    }
    assert.ok(fs.statSync(prefix() + '.data').size < 2 * limits.compactAt, 'bounded');
    fs.rmSync(prefix() + '.recent.jsonl');
    const c = new AnalysisCache(prefix(), limits);
    assert.deepEqual(c.get('r19-5'), analysis(1905), 'the newest run survives');
    assert.equal(c.get('r0-5'), undefined, 'the oldest is gone');
  });
});
