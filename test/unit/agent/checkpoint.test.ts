import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Checkpoint } from '../../../src/core/agent/checkpoint';
import { defaultCheckpointDir } from '../../../src/core/agent/paths';

/** Every file under `root` (except .git) with its bytes and mode, to compare trees exactly. */
function snapshot(root: string): Map<string, { bytes: Buffer; mode: number }> {
  const out = new Map<string, { bytes: Buffer; mode: number }>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) { walk(p); out.set(path.relative(root, p) + '/', { bytes: Buffer.alloc(0), mode: 0 }); continue; }
      out.set(path.relative(root, p), { bytes: fs.readFileSync(p), mode: fs.statSync(p).mode & 0o777 });
    }
  };
  walk(root);
  return out;
}

describe('agent checkpoint', () => {
  let tmp: string;
  let root: string;
  let store: string;
  const w = (rel: string, data: string | Buffer) => { fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true }); fs.writeFileSync(path.join(root, rel), data); };
  const r = (rel: string) => fs.readFileSync(path.join(root, rel));

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-cp-')));
    root = path.join(tmp, 'ws');
    store = path.join(tmp, 'state', 'checkpoints');
    fs.mkdirSync(root);
    w('src/a.ts', 'export const a = 1;\r\n// crlf kept\r\n');
    w('src/b.bin', Buffer.from([0, 255, 10, 13, 0xc3, 0x28, 1, 2]));
    w('scripts/run.sh', '#!/bin/sh\necho hi\n');
    fs.chmodSync(path.join(root, 'scripts/run.sh'), 0o755);
    w('old/name.ts', 'moved\n');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** The agent's side: record, change, record what it left. */
  async function change(cp: Checkpoint, rel: string, data: string | Buffer | null) {
    await cp.before(rel);
    if (data === null) fs.rmSync(path.join(root, rel));
    else w(rel, data);
    await cp.after(rel, data === null ? null : Buffer.from(data));
  }

  it('undo puts every touched file back byte for byte, removes created files and folders, restores deleted and renamed ones, after a restart', async () => {
    const original = snapshot(root);
    const cp = await Checkpoint.create({ dir: store, taskId: 'task-1', root, task: 'change things' });
    await change(cp, 'src/a.ts', 'export const a = 2;\n');
    await change(cp, 'src/a.ts', 'export const a = 3;\n'); // second change: the first original is kept
    await change(cp, 'src/b.bin', Buffer.from([9, 9]));
    await change(cp, 'scripts/run.sh', null);
    await change(cp, 'new/deep/created.ts', 'new file\n');
    await cp.before('old/name.ts');
    await cp.before('moved/name.ts');
    fs.mkdirSync(path.join(root, 'moved'));
    fs.renameSync(path.join(root, 'old/name.ts'), path.join(root, 'moved/name.ts'));
    await cp.after('old/name.ts', null);
    await cp.after('moved/name.ts', Buffer.from('moved\n'));
    await cp.renamed('old/name.ts', 'moved/name.ts');

    // A new process: only the folder and the task id are known.
    const again = await Checkpoint.open(store, 'task-1');
    assert.ok(again);
    const changes = await again.changes();
    assert.deepEqual(changes.map((c) => [c.path, c.action, c.from]), [
      ['src/a.ts', 'edited', undefined], ['src/b.bin', 'edited', undefined], ['scripts/run.sh', 'deleted', undefined],
      ['new/deep/created.ts', 'created', undefined], ['moved/name.ts', 'renamed', 'old/name.ts'],
    ]);
    assert.equal(changes[0].before?.toString('utf8'), 'export const a = 1;\r\n// crlf kept\r\n');
    assert.equal(changes[0].current?.toString('utf8'), 'export const a = 3;\n');
    assert.equal(changes.some((c) => c.conflict), false);

    const report = await again.undo();
    assert.deepEqual(report.conflicts, []);
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.removed.sort(), ['moved/name.ts', 'new/deep/created.ts']);
    assert.deepEqual(report.restored.sort(), ['old/name.ts', 'scripts/run.sh', 'src/a.ts', 'src/b.bin']);
    assert.deepEqual(snapshot(root), original);
    assert.deepEqual(await again.changes(), []);
    assert.equal((await Checkpoint.list(store))[0].open, 0);
  });

  it('a file the user edited after the agent is reported as a conflict and kept until the caller says overwrite', async () => {
    const cp = await Checkpoint.create({ dir: store, taskId: 't2', root });
    await change(cp, 'src/a.ts', 'agent\n');
    await change(cp, 'src/b.bin', 'agent too\n');
    w('src/a.ts', 'agent\nand the user typed this\n');
    assert.deepEqual(await cp.conflicts(), ['src/a.ts']);
    const first = await cp.undo();
    assert.deepEqual(first.conflicts, [{ path: 'src/a.ts', why: 'edited after the agent changed it' }]);
    assert.deepEqual(first.restored, ['src/b.bin']);
    assert.equal(r('src/a.ts').toString(), 'agent\nand the user typed this\n');
    assert.deepEqual(r('src/b.bin'), Buffer.from([0, 255, 10, 13, 0xc3, 0x28, 1, 2]));
    // The caller asked the user, who chose to overwrite.
    const second = await cp.undo({ overwrite: ['src/a.ts'] });
    assert.deepEqual(second.restored, ['src/a.ts']);
    assert.equal(r('src/a.ts').toString(), 'export const a = 1;\r\n// crlf kept\r\n');
  });

  it('per-file undo and keep: one path goes back, a kept one leaves the checkpoint', async () => {
    const cp = await Checkpoint.create({ dir: store, taskId: 't3', root });
    await change(cp, 'src/a.ts', 'one\n');
    await change(cp, 'src/b.bin', 'two\n');
    await change(cp, 'c.ts', 'three\n');
    await cp.undo({ paths: ['src/a.ts'] });
    assert.equal(r('src/a.ts').toString(), 'export const a = 1;\r\n// crlf kept\r\n');
    assert.equal(r('src/b.bin').toString(), 'two\n');
    await cp.keep(['c.ts']);
    assert.deepEqual((await cp.changes()).map((c) => c.path), ['src/b.bin']);
    await cp.undo();
    assert.equal(fs.existsSync(path.join(root, 'c.ts')), true, 'a kept file stays');
    assert.deepEqual(r('src/b.bin'), Buffer.from([0, 255, 10, 13, 0xc3, 0x28, 1, 2]));
  });

  it('a change cut off before the agent recorded what it left still undoes (the checkpoint is written first)', async () => {
    const cp = await Checkpoint.create({ dir: store, taskId: 't4', root });
    await cp.before('src/a.ts');
    w('src/a.ts', 'half-writ');
    await cp.before('fresh.ts');
    w('fresh.ts', 'x');
    const reopened = (await Checkpoint.open(store, 't4'))!;
    const report = await reopened.undo();
    assert.deepEqual(report.conflicts, []);
    assert.equal(r('src/a.ts').toString(), 'export const a = 1;\r\n// crlf kept\r\n');
    assert.equal(fs.existsSync(path.join(root, 'fresh.ts')), false);
  });

  it('lists checkpoints per workspace, newest first, and refuses paths outside the root', async () => {
    const a = await Checkpoint.create({ dir: store, taskId: 'a', root, task: 'first' });
    await change(a, 'src/a.ts', 'x\n');
    const other = path.join(tmp, 'other');
    fs.mkdirSync(other);
    await Checkpoint.create({ dir: store, taskId: 'b', root: other, task: 'elsewhere' });
    const mine = await Checkpoint.list(store, { root });
    assert.deepEqual(mine.map((s) => [s.taskId, s.task, s.open]), [['a', 'first', 1]]);
    await assert.rejects(a.before('../outside.txt'), /not a path inside the workspace/);
    await assert.rejects(Checkpoint.create({ dir: store, taskId: '../x', root }), /bad task id/);
    assert.equal(await Checkpoint.open(store, 'nope'), undefined);
  });

  it('lives in the per-user state folder, honouring PONDER_STATE_DIR and XDG_STATE_HOME', () => {
    assert.equal(defaultCheckpointDir({ PONDER_STATE_DIR: '/s' }, 'linux', '/h'), '/s/checkpoints');
    assert.equal(defaultCheckpointDir({ XDG_STATE_HOME: '/x' }, 'linux', '/h'), '/x/ponder/checkpoints');
    assert.equal(defaultCheckpointDir({}, 'linux', '/h'), '/h/.local/state/ponder/checkpoints');
    assert.equal(defaultCheckpointDir({}, 'darwin', '/h'), '/h/Library/Application Support/ponder/checkpoints');
  });
});
