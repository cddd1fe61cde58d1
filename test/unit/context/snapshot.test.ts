import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { configureTokenCache } from '../../../src/core/tokens';
import { filler, rm, tempRepo } from './helpers';

/** The CLI's port (no change events), counting what a call reads. */
class CountingWorkspace extends NodeWorkspace {
  reads: string[] = [];
  listings = 0;
  override listFiles(...args: Parameters<NodeWorkspace['listFiles']>): ReturnType<NodeWorkspace['listFiles']> {
    this.listings++;
    return super.listFiles(...args);
  }
  override readFileSync(file: string): string | undefined {
    this.reads.push(path.relative(this.roots()[0].path, file));
    return super.readFileSync(file);
  }
}

/** Sets a file's mtime in the past, as an unchanged checkout has (the snapshot never trusts a file written in the same instant). */
function age(root: string): void {
  const past = new Date(Date.now() - 60_000);
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      fs.utimesSync(p, past, past);
    }
  };
  walk(root);
  fs.utimesSync(root, past, past);
}

describe('on-disk index across CLI calls', () => {
  let root: string;
  let cacheDir: string;
  before(() => configureTokenCache(null));
  beforeEach(() => {
    const files: Record<string, string> = {
      'package.json': '{"name":"demo"}',
      'src/main.ts': "import { helper } from './helper'\nexport const main = () => helper()\n",
      'src/helper.ts': 'export const helper = () => 1\n',
      'src/helper.test.ts': "import { helper } from './helper'\ntest('helper', () => helper())\n",
    };
    for (let i = 0; i < 120; i++) files[`src/other/m${i}.ts`] = filler(`m${i}f`, 5);
    root = tempRepo(files);
    age(root);
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-snap-'));
  });
  afterEach(() => {
    rm(root);
    rm(cacheDir);
  });
  const req = { query: 'helper returns one', activeFile: 'src/main.ts', selection: [2, 2] as [number, number], budget: 4000, repoMap: false, timeLimitMs: 60_000 };
  const call = async (r = req) => {
    const port = new CountingWorkspace([root]);
    const packed = await packContext(r, port, { git: false, cacheDir });
    return { port, packed, paths: packed.items.map((i) => i.path) };
  };

  it('a repeat call reads only the files it packs, and answers as the first did', async () => {
    const first = await call();
    assert.ok(first.port.reads.length >= 124, `the first call reads everything (${first.port.reads.length})`);
    assert.ok(fs.readdirSync(cacheDir, { recursive: true }).some((f) => /index-v\d+-/.test(String(f))), 'a snapshot is written');
    const second = await call();
    assert.deepEqual(second.paths, first.paths);
    assert.deepEqual(second.packed.items.map((i) => i.text), first.packed.items.map((i) => i.text));
    assert.ok(second.port.reads.length <= second.paths.length + 1, `a repeat read ${second.port.reads.length} files for ${second.paths.length} items`);
    assert.ok(second.paths.includes('src/helper.ts') && second.paths.includes('src/helper.test.ts'));
  });

  it('sees edits, new files and deletions made between calls', async () => {
    await call();
    fs.writeFileSync(path.join(root, 'src/helper.ts'), 'export const helper = () => 2 // EDITED\n');
    fs.writeFileSync(path.join(root, 'src/other/brandNew.ts'), 'export const helperReturnsOne = 1 // helper returns one\n');
    fs.rmSync(path.join(root, 'src/other/m3.ts'));
    const after = await call();
    assert.ok(after.packed.items.find((i) => i.path === 'src/helper.ts')?.text.includes('EDITED'), 'the edited text is sent');
    assert.ok(after.paths.includes('src/other/brandNew.ts'), 'a new file is found by its words');
    const gone = await call({ ...req, query: 'm3f1 m3f2' });
    assert.ok(!gone.paths.includes('src/other/m3.ts'), 'a deleted file is not sent');
  });

  it('a file rewritten in the same instant as the snapshot is analysed again', async () => {
    const file = path.join(root, 'src/other/m7.ts');
    fs.writeFileSync(file, 'export const before = 1\n');
    const sec = Math.floor(Date.now() / 1000); // whole seconds: set back exactly below
    fs.utimesSync(file, sec, sec);
    await call();
    // Same size and the same mtime (a write within the file system's timestamp resolution):
    // stat cannot tell, so a file that recent must not have been trusted.
    fs.writeFileSync(file, 'export const zebras = 1\n');
    fs.utimesSync(file, sec, sec);
    const after = await call({ ...req, query: 'zebras' });
    assert.match(after.packed.items.find((i) => i.path === 'src/other/m7.ts')?.reason ?? '', /matches 'zebra'/);
  });

  it('says a first call is heavy work (once), and a repeat call with nothing changed is not', async () => {
    let heavy = 0;
    const port = () => new CountingWorkspace([root]);
    await packContext(req, port(), { git: false, cacheDir, onHeavyWork: () => heavy++ });
    assert.equal(heavy, 1, 'the first call lists and reads everything');
    await packContext(req, port(), { git: false, cacheDir, onHeavyWork: () => heavy++ });
    assert.equal(heavy, 1, 'a repeat call with nothing changed is light work');
  });

  it('sees a file renamed between calls under its new name only', async () => {
    fs.writeFileSync(path.join(root, 'src/other/m5.ts'), 'export const zanzibarQuokka = 1\n');
    age(root);
    assert.ok((await call({ ...req, query: 'zanzibar quokka' })).paths.includes('src/other/m5.ts'));
    fs.renameSync(path.join(root, 'src/other/m5.ts'), path.join(root, 'src/other/renamed5.ts'));
    const after = await call({ ...req, query: 'zanzibar quokka' });
    assert.ok(after.paths.includes('src/other/renamed5.ts'), 'the renamed file is found by its words');
    assert.ok(!after.paths.includes('src/other/m5.ts'), 'the old name is gone');
  });

  const mapReq = { ...req, budget: 20_000, repoMap: true };
  const mapOf = (packed: { items: ReadonlyArray<{ kind?: string; text: string }> }) => packed.items.find((i) => i.kind === 'map')?.text ?? '';

  it('a repeat call draws the repository map the first call drew, and a new export shows in the next one', async () => {
    const first = await call(mapReq);
    assert.match(mapOf(first.packed), /helper\.ts: helper/);
    const second = await call(mapReq);
    assert.equal(mapOf(second.packed), mapOf(first.packed));
    fs.writeFileSync(path.join(root, 'src/helper.ts'), 'export const helper = () => 1\nexport function freshExport() {}\n');
    const third = await call(mapReq);
    assert.match(mapOf(third.packed), /helper\.ts: helper, freshExport/);
  });

  /** The one snapshot file of the cache folder. */
  const snapshotFile = () => {
    const name = fs.readdirSync(cacheDir).find((f) => /^index-v\d+-.*\.json$/.test(f));
    assert.ok(name, 'a snapshot is written');
    return path.join(cacheDir, name);
  };

  it('a damaged snapshot is rebuilt, not trusted', async () => {
    const first = await call(mapReq);
    const file = snapshotFile();
    fs.writeFileSync(file, fs.readFileSync(file, 'latin1').slice(0, 2000));
    const second = await call(mapReq);
    assert.ok(second.port.reads.length >= 124, `a torn snapshot is not used: everything is read again (${second.port.reads.length})`);
    assert.deepEqual(second.paths, first.paths);
    assert.equal(mapOf(second.packed), mapOf(first.packed));
    assert.doesNotThrow(() => JSON.parse(fs.readFileSync(file, 'latin1')), 'and written whole again');
    // Map blocks of the wrong shape are drawn again rather than sent.
    const snap = JSON.parse(fs.readFileSync(file, 'latin1'));
    snap.b.blocks = [{ text: 'POISON' }];
    fs.writeFileSync(file, JSON.stringify(snap));
    assert.equal(mapOf((await call(mapReq)).packed), mapOf(first.packed));
  });

  it('a snapshot written by another version is not read', async () => {
    await call(mapReq);
    const file = snapshotFile();
    const snap = JSON.parse(fs.readFileSync(file, 'latin1'));
    snap.v = 1;
    snap.b.blocks = ['POISON/\n  poison.ts: poisoned\n'];
    fs.writeFileSync(file, JSON.stringify(snap));
    const again = await call(mapReq);
    assert.ok(again.port.reads.length >= 124, `everything is read again (${again.port.reads.length})`);
    assert.doesNotMatch(mapOf(again.packed), /POISON/);
  });
});

describe('a first call on a huge repository', () => {
  let root: string;
  before(() => configureTokenCache(null));
  afterEach(() => rm(root));

  it('cut short by its time limit, leaves a snapshot whose listing the next call keeps: that call reads only what was left, and is complete', async () => {
    const files: Record<string, string> = { 'package.json': '{"name":"mono"}', 'packages/zz-client/src/fetch.ts': "export const doFetch = () => 1\n" };
    for (let p = 0; p < 40; p++) {
      // Each package's manifest is listed after its files: the first call has no time to read most of them.
      for (let i = 0; i < 30; i++) files[`packages/aa-bulk${p}/f${i}.ts`] = `export const f${p}x${i} = ${i}\n`;
      files[`packages/aa-bulk${p}/package.json`] = `{"name":"bulk${p}"}`;
    }
    root = tempRepo(files);
    age(root);
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-snap-'));
    try {
      const req = { query: 'fetch', activeFile: 'packages/zz-client/src/fetch.ts', selection: [1, 1] as [number, number], budget: 8000, repoMap: false };
      const first = new CountingWorkspace([root]);
      const p1 = await packContext({ ...req, timeLimitMs: 1 }, first, { git: false, cacheDir });
      assert.equal(p1.partial, true);
      const second = new CountingWorkspace([root]);
      const p2 = await packContext({ ...req, timeLimitMs: 60_000 }, second, { git: false, cacheDir });
      assert.equal(second.listings, 0, 'the listing came from the snapshot');
      assert.equal(p2.partial, false, 'the second call finished the reading');
      const readTwice = second.reads.filter((r) => first.reads.includes(r) && r.endsWith('.ts') && !p2.items.some((i) => i.path === r));
      assert.deepEqual(readTwice, [], 'files analysed by the first call are not read again');
      const third = new CountingWorkspace([root]);
      const p3 = await packContext({ ...req, timeLimitMs: 60_000 }, third, { git: false, cacheDir });
      assert.equal(third.listings, 0);
      const unpacked = third.reads.filter((r) => !p3.items.some((i) => i.path === r) && !r.endsWith('package.json'));
      assert.deepEqual(unpacked, [], 'a third call reads only what it packs');
    } finally {
      rm(cacheDir);
    }
  });

  it('a listing its time limit cut is walked on by the next calls until complete: a folder the first call never reached is found, and calls stop saying partial', async () => {
    /** The CLI's port with a walk that runs out of time after `folders` folders were found (as a time limit on a huge repository). */
    class ShortWalk extends NodeWorkspace {
      override listFiles(root: Parameters<NodeWorkspace['listFiles']>[0], opts: Parameters<NodeWorkspace['listFiles']>[1] = {}): ReturnType<NodeWorkspace['listFiles']> {
        const controller = new AbortController();
        let found = 0;
        return super.listFiles(root, { ...opts, signal: controller.signal, skipDir: (rel) => {
          if (++found >= 6) controller.abort();
          return opts.skipDir?.(rel) ?? false;
        } });
      }
    }
    const files: Record<string, string> = { 'package.json': '{"name":"big"}', 'main.ts': 'export const main = 1\n', 'zz/target.ts': 'export const zebraQuantumFlux = 1 // zebra quantum flux\n' };
    for (let d = 0; d < 10; d++) {
      for (let i = 0; i < 5; i++) files[`a${d}/f${i}.ts`] = `export const a${d}x${i} = ${i}\n`;
      files[`a${d}/sub/g.ts`] = `export const a${d}g = 1\n`;
    }
    root = tempRepo(files);
    age(root);
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-snap-'));
    try {
      const req = { query: 'zebra quantum flux', activeFile: 'main.ts', selection: [1, 1] as [number, number], budget: 8000, repoMap: false, timeLimitMs: 60_000 };
      const calls: Array<{ partial: boolean; found: boolean }> = [];
      for (let n = 0; n < 6; n++) {
        const p = await packContext(req, new ShortWalk([root]), { git: false, cacheDir });
        calls.push({ partial: p.partial, found: p.items.some((i) => i.path === 'zz/target.ts') });
        if (!p.partial) break;
      }
      assert.deepEqual(calls[0], { partial: true, found: false }, 'the first call stops before zz/ and says so');
      const last = calls[calls.length - 1];
      assert.deepEqual(last, { partial: false, found: true }, `later calls walk on to zz/ and complete the listing: ${JSON.stringify(calls)}`);
      assert.ok(calls.length <= 4, `complete within a few calls: ${JSON.stringify(calls)}`);
      const again = await packContext(req, new CountingWorkspace([root]), { git: false, cacheDir });
      assert.equal(again.partial, false, 'a complete listing stays complete');
    } finally {
      rm(cacheDir);
    }
  });

  it('past its time limit, still packs what sits near the active file, and says the result is partial', async () => {
    const files: Record<string, string> = {
      'packages/zz-client/src/fetch.ts': "import { fetchHelper } from './helpers'\nexport const doFetch = () => fetchHelper()\n",
      'packages/zz-client/src/helpers.ts': 'export const fetchHelper = () => 1\n',
    };
    // Listed before the client package, so a reader in listing order would never reach it in time.
    for (let i = 0; i < 2400; i++) files[`packages/aa-bulk${i % 40}/src/f${i}.ts`] = `export const f${i} = ${i}\n`;
    root = tempRepo(files);
    const p = await packContext({ query: 'fetch helper', activeFile: 'packages/zz-client/src/fetch.ts', selection: [1, 1], budget: 8000, repoMap: false, timeLimitMs: 1 }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    assert.equal(p.partial, true);
    assert.match(p.items.find((i) => i.path === 'packages/zz-client/src/helpers.ts')?.reason ?? '', /defines `fetchHelper`/);
  });
});
