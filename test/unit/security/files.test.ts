import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { ANALYSIS_VERSION, AnalysisCache, cacheDir } from '../../../src/core/cache';
import { Ledger } from '../../../src/core/cost/ledger';
import { defaultLedgerPath } from '../../../src/core/cost/paths';
import { costOfRequest } from '../../../src/core/cost/pricing';
import type { LedgerEntryInput } from '../../../src/core/cost/types';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { answerTurn } from '../run/helpers';

const entry = (id: string, cost: number | null = 0.01): LedgerEntryInput => ({
  v: 1, id, time: new Date().toISOString(), endpoint: 'e', model: 'm', tokens: { prompt: 1, cached: 0, cacheWrite: 0, completion: 1, reasoning: 0 },
  cost, source: cost === null ? 'unpriced' : 'provider', status: 'done',
});

function tmp(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-files-')));
}

describe('security: cache and ledger folders on a shared machine', () => {
  let dir: string;
  let warnings: string[];
  const onWarning = (w: Error) => warnings.push(w.message);
  beforeEach(() => { dir = tmp(); warnings = []; process.on('warning', onWarning); });
  afterEach(() => { process.off('warning', onWarning); fs.rmSync(dir, { recursive: true, force: true }); });

  it('a cache folder prepared by someone else (mode 777, a planted symlink) is not used: the link\'s target is untouched, a private folder is used, and it says so', async () => {
    const hostile = path.join(dir, 'shared-cache');
    fs.mkdirSync(hostile);
    fs.chmodSync(hostile, 0o777);
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    fs.symlinkSync(victim, path.join(hostile, `analysis-${ANALYSIS_VERSION}.data`));
    fs.symlinkSync(victim, path.join(hostile, `analysis-${ANALYSIS_VERSION}.index`));
    const cache = AnalysisCache.atDefault(hostile);
    cache.putPackData(AnalysisCache.hash('x'), { chunkTokens: [1, 2, 3] });
    cache.flush();
    await new Promise((r) => setImmediate(r));
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
    const used = cacheDir(hostile);
    assert.notEqual(used, hostile);
    assert.equal(fs.statSync(used).mode & 0o777, 0o700);
    assert.ok(fs.readdirSync(used).some((f) => f.startsWith(`analysis-${ANALYSIS_VERSION}`)), 'the cache still works, in the private folder');
    assert.ok(warnings.some((w) => w.includes(hostile) && /writable by other users \(mode 777\)/.test(w)), warnings.join('\n'));
    // Every later cache of this process finds the same private folder, and it is said once.
    assert.equal(cacheDir(hostile), used);
    await new Promise((r) => setImmediate(r));
    assert.equal(warnings.filter((w) => w.includes(hostile)).length, 1, warnings.join('\n'));
  });

  it('a cache folder owned by another user is not used', async () => {
    // As root, a folder is given to nobody; as anyone else, root's own /usr is another user's folder.
    const root = process.getuid?.() === 0;
    const theirs = root ? path.join(dir, 'theirs') : '/usr';
    if (root) { fs.mkdirSync(theirs, { mode: 0o755 }); fs.chownSync(theirs, 65534, 65534); }
    assert.notEqual(cacheDir(theirs), theirs);
    await new Promise((r) => setImmediate(r));
    assert.ok(warnings.some((w) => new RegExp(`belongs to another user \\(uid ${root ? 65534 : 0}\\)`).test(w)), warnings.join('\n'));
  });

  it('even in a private folder, a cache file that is a symlink is not written through', () => {
    const own = path.join(dir, 'own');
    fs.mkdirSync(own, { mode: 0o700 });
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    fs.symlinkSync(victim, path.join(own, `analysis-${ANALYSIS_VERSION}.data`));
    const cache = AnalysisCache.atDefault(own);
    cache.putPackData(AnalysisCache.hash('y'), { chunkTokens: [4] });
    cache.flush();
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
  });

  it('the ledger is not written in a folder others can write to, nor through a symlink, nor into a file that is not a ledger', async () => {
    const open = path.join(dir, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    await assert.rejects(new Ledger(path.join(open, 'ledger.jsonl')).append(entry('a')), /writable by other users \(mode 777\).*PONDER_LEDGER/);
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    const own = path.join(dir, 'own');
    fs.mkdirSync(own, { mode: 0o700 });
    fs.symlinkSync(victim, path.join(own, 'ledger.jsonl'));
    await assert.rejects(new Ledger(path.join(own, 'ledger.jsonl')).append(entry('b')), /is a symbolic link/);
    await assert.rejects(new Ledger(victim).append(entry('c')), /is not a Ponder ledger/);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
    // A new file, or a ledger, is fine; a new file is this user's only.
    const fresh = path.join(own, 'new.jsonl');
    await new Ledger(fresh).append(entry('d'));
    await new Ledger(fresh).append(entry('e'));
    assert.equal(fs.statSync(fresh).mode & 0o777, 0o600);
    assert.deepEqual((await new Ledger(fresh).read()).map((e) => e.id), ['d', 'e']);
  });

  it('a provider-reported negative or infinite cost is refused and said so, never recorded', async () => {
    for (const bad of [-5, Infinity, NaN]) {
      const c = costOfRequest({ providerCost: { cost: bad }, usage: { prompt: 10, cached: 0, completion: 10, reasoning: 0, cacheWrite: 0 }, durationMs: 1000, endpoint: 'x' } as Parameters<typeof costOfRequest>[0]);
      assert.notEqual(c.source, 'provider');
      assert.ok(c.amount === null || (Number.isFinite(c.amount) && c.amount >= 0));
      assert.match(c.note ?? '', /not a valid amount/);
    }
    await assert.rejects(new Ledger(path.join(dir, 'l.jsonl')).append(entry('neg', -1)));
  });
});

describe('one ledger for the editor and the CLI; tests never touch the real home', function () {
  this.timeout(60_000);
  let wire: WireServer;
  let work: string;
  let cli: string;
  before(async () => {
    work = tmp();
    cli = path.join(work, 'cli.js');
    await esbuild.build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: cli, logLevel: 'silent' });
    wire = await startWireServer();
  });
  after(async () => { await wire.close(); fs.rmSync(work, { recursive: true, force: true }); });

  const run = (args: string[]): Promise<{ code: number; out: string; err: string }> => new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1' } }, (e, out, err) => resolve({ code: e ? Number(e.code) : 0, out, err }));
  });

  it('the test run has a home of its own: the default ledger lies under it, not under the user\'s real home', () => {
    assert.ok(defaultLedgerPath().startsWith(os.homedir() + path.sep));
    assert.match(os.homedir(), /ponder-test-home-/);
  });

  it('`ponder ask` with no --ledger records in the shared ledger and `ponder costs` finds it there', async () => {
    wire.enqueue(answerTurn('ok'));
    const a = await run(['ask', '--root', work, '--base-url', wire.url, '--model', 'm', 'hi']);
    assert.equal(a.code, 0, a.err);
    const shared = defaultLedgerPath();
    assert.ok(fs.existsSync(shared), 'recorded in the shared ledger');
    const c = await run(['costs']);
    assert.equal(c.code, 0, c.err);
    assert.ok(c.out.includes(`ledger: ${shared}`), c.out);
    assert.match(c.out, /All recorded\s+1\s/);
  });

  it('the guard refuses and records a write under Ponder\'s places in a real home, from a spawned process too', async () => {
    const home = tmp();
    const record = path.join(home, 'writes.log');
    const target = path.join(home, '.config', 'ponder', 'ledger.jsonl');
    const script = `const fs=require('fs');const path=require('path');try{fs.mkdirSync(path.dirname(${JSON.stringify(target)}),{recursive:true})}catch{}try{fs.appendFileSync(${JSON.stringify(target)},'x')}catch(e){process.stdout.write(e.code)}`;
    const r = await new Promise<string>((resolve) => execFile(process.execPath, ['-e', script], { env: { ...process.env, PONDER_TEST_REAL_HOME: home, PONDER_TEST_HOME_WRITES: record } }, (_e, out) => resolve(out)));
    assert.equal(r, 'EACCES');
    assert.equal(fs.existsSync(target), false);
    assert.match(fs.readFileSync(record, 'utf8'), /mkdirSync .*\.config\/ponder[\s\S]*appendFileSync .*ledger\.jsonl/);
    fs.rmSync(home, { recursive: true, force: true });
  });
});
