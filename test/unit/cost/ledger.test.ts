import { strict as assert } from 'node:assert';
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger, MAX_LINE_BYTES, type LedgerEntryInput } from '../../../src/core/cost';
import type { Logger } from '../../../src/core/log';

const CHILD = path.join(__dirname, 'ledgerWriter.child.ts');

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, trace() {}, debug() {}, info() {}, error() {}, warn(m: string) { warnings.push(m); } };
}

function entry(id: string, time: string, extra: Partial<LedgerEntryInput> = {}): LedgerEntryInput {
  return {
    v: 1, id, time, endpoint: 'mai-openrouter', model: 'microsoft/mai-thinking-1', provider: 'openrouter',
    tokens: { prompt: 1000, cached: 200, cacheWrite: 0, completion: 300, reasoning: 100 },
    cost: 0.0123, source: 'provider', status: 'done', workspace: 'shop', command: 'explain', ...extra,
  };
}

function spawnWriter(file: string, mode: string, name: string, count = 0): ChildProcess {
  const child = fork(CHILD, [file, mode, name, String(count)], { execArgv: ['--require', 'tsx/cjs'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // Listen from the start: a fast child may be gone before the test asks.
  exits.set(child, new Promise((resolve) => child.once('exit', (code) => resolve(code))));
  return child;
}

/** Append-mode writers say "ready" once loaded; all get "go" together so their writes overlap. */
async function startTogether(writers: ChildProcess[]): Promise<void> {
  await Promise.all(writers.map(message));
  for (const w of writers) w.send('go');
}

const exits = new WeakMap<ChildProcess, Promise<number | null>>();
const exited = (c: ChildProcess) => exits.get(c)!;
const message = (c: ChildProcess) => new Promise<unknown>((resolve) => c.once('message', resolve));

describe('ledger', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-ledger-'));
    file = path.join(dir, 'global-storage', 'ledger.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('appends one JSON line per request and reads them back, creating the folder', async () => {
    const ledger = new Ledger(file);
    assert.deepEqual(await ledger.read(), []);
    await ledger.append(entry('a', '2026-11-01T10:00:00.000Z'));
    await ledger.append(entry('b', '2026-11-20T10:00:00.000Z', { cost: null, source: 'unpriced' }));
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.equal(JSON.parse(lines[0]).id, 'a');
    const all = await new Ledger(file).read();
    assert.deepEqual(all.map((e) => e.id), ['a', 'b']);
    assert.equal(all[1].cost, null);
    assert.deepEqual((await ledger.read({ since: new Date('2026-11-10T00:00:00Z') })).map((e) => e.id), ['b']);
  });

  it('two reads at once see each line once', async () => {
    const writer = new Ledger(file);
    for (let i = 0; i < 50; i++) await writer.append(entry(`r${i}`, '2026-11-01T10:00:00.000Z'));
    const reader = new Ledger(file);
    const [a, b] = await Promise.all([reader.read(), reader.read()]);
    assert.equal(a.length, 50);
    assert.equal(b.length, 50);
    await writer.append(entry('late', '2026-11-01T11:00:00.000Z'));
    assert.equal((await reader.read()).length, 51);
  });

  it('counts a request written twice once', async () => {
    const ledger = new Ledger(file);
    await ledger.append(entry('a', '2026-11-01T10:00:00.000Z'));
    await ledger.append(entry('a', '2026-11-01T10:00:00.000Z'));
    assert.equal((await ledger.read()).length, 1);
  });

  it('refuses an invalid entry instead of writing it', async () => {
    await assert.rejects(new Ledger(file).append({ ...entry('a', 'yesterday') }), /not an ISO date/);
    assert.equal(fs.existsSync(file), false);
  });

  it('keeps every line of four processes appending at once (250 each)', async function () {
    this.timeout(60_000);
    const writers = ['w1', 'w2', 'w3', 'w4'].map((n) => spawnWriter(file, 'append', n, 250));
    await startTogether(writers);
    const codes = await Promise.all(writers.map(exited));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    const log = recordingLog();
    const all = await new Ledger(file, log).read();
    assert.equal(all.length, 1000);
    assert.equal(new Set(all.map((e) => e.id)).size, 1000);
    for (const n of ['w1', 'w2', 'w3', 'w4']) assert.equal(all.filter((e) => e.session === n).length, 250, n);
    assert.deepEqual(log.warnings, []);
  });

  it('a writer SIGKILLed after half a line: the broken line is skipped with a warning, no later line is lost', async function () {
    this.timeout(30_000);
    const ledger = new Ledger(file, recordingLog());
    await ledger.append(entry('before', '2026-11-21T10:00:00.000Z'));
    const victim = spawnWriter(file, 'half-line', 'victim');
    assert.equal(await message(victim), 'wrote-half');
    victim.kill('SIGKILL');
    await exited(victim);

    const log = recordingLog();
    const reader = new Ledger(file, log);
    assert.deepEqual((await reader.read()).map((e) => e.id), ['before']);
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0], /last line .* incomplete and was skipped/);

    // Another process appends after the broken tail: its line must survive whole.
    const next = spawnWriter(file, 'append', 'after', 3);
    await startTogether([next]);
    assert.equal(await exited(next), 0);
    assert.deepEqual((await reader.read()).map((e) => e.id), ['before', 'after-0', 'after-1', 'after-2']);
    assert.match(log.warnings[1], /skipped a broken line/);
    assert.equal(log.warnings.length, 2);
    assert.deepEqual((await new Ledger(file).read()).map((e) => e.id), ['before', 'after-0', 'after-1', 'after-2']);
  });

  it('a writer SIGKILLed while appending in a loop, beside a steady writer: the steady writer loses nothing', async function () {
    this.timeout(60_000);
    const victim = spawnWriter(file, 'append-forever', 'victim');
    assert.equal(await message(victim), 'started');
    const steady = spawnWriter(file, 'append', 'steady', 300);
    await startTogether([steady]);
    await new Promise((r) => setTimeout(r, 300));
    victim.kill('SIGKILL');
    await exited(victim);
    assert.equal(await exited(steady), 0);
    const all = await new Ledger(file, recordingLog()).read();
    assert.equal(all.filter((e) => e.session === 'steady').length, 300);
    const victims = all.filter((e) => e.session === 'victim').map((e) => Number(e.id.split('-')[1]));
    assert.ok(victims.length > 0, 'the victim wrote before it was killed');
    // What the victim wrote is a gap-free prefix: nothing it finished writing went missing.
    assert.deepEqual(victims, victims.map((_, i) => i));
  });

  it('reads only the new tail: an earlier line changed in place is not re-read by a warm reader', async () => {
    const ledger = new Ledger(file);
    await ledger.append(entry('a', '2026-11-01T10:00:00.000Z'));
    assert.equal((await ledger.read()).length, 1);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file + '.tmp', text.replace('"id":"a"', '"id":"z"'));
    // Same inode, same size: only the cached offset explains the old id surviving.
    fs.writeFileSync(file, fs.readFileSync(file + '.tmp'), { flag: 'r+' });
    await ledger.append(entry('b', '2026-11-02T10:00:00.000Z'));
    assert.deepEqual((await ledger.read()).map((e) => e.id), ['a', 'b']);
    assert.deepEqual((await new Ledger(file).read()).map((e) => e.id), ['z', 'b']);
  });

  it('starts over when the file is replaced or truncated', async () => {
    const ledger = new Ledger(file);
    await ledger.append(entry('a', '2026-11-01T10:00:00.000Z'));
    await ledger.append(entry('b', '2026-11-01T11:00:00.000Z'));
    assert.equal((await ledger.read()).length, 2);
    fs.writeFileSync(file, '');
    await ledger.append(entry('c', '2026-11-01T12:00:00.000Z'));
    assert.deepEqual((await ledger.read()).map((e) => e.id), ['c']);
    fs.rmSync(file);
    assert.deepEqual(await ledger.read(), []);
  });

  it('keeps each line under 4 KB by shortening the note and long names', async () => {
    const ledger = new Ledger(file);
    await ledger.append(entry('long', '2026-11-01T10:00:00.000Z', { note: 'n'.repeat(10_000), workspace: 'w'.repeat(5000) }));
    const line = fs.readFileSync(file, 'utf8');
    assert.ok(Buffer.byteLength(line) <= MAX_LINE_BYTES, `line is ${Buffer.byteLength(line)} bytes`);
    const [e] = await ledger.read();
    assert.equal(e.id, 'long');
    assert.equal(e.cost, 0.0123);
  });

  it('skips a line that is JSON but not an entry, naming the problem', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"v":1,"id":"x"}\n');
    const log = recordingLog();
    const ledger = new Ledger(file, log);
    await ledger.append(entry('ok', '2026-11-01T10:00:00.000Z'));
    assert.deepEqual((await ledger.read()).map((e) => e.id), ['ok']);
    assert.match(log.warnings[0], /skipped an invalid entry at byte 0/);
  });
});
