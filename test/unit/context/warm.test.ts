import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { configureTokenCache } from '../../../src/core/tokens';
import type { Disposable } from '../../../src/core/context/types';
import { filler, rm, tempRepo } from './helpers';

/** A port that reports changes, as the editor's does: the engine keeps its index warm. */
class WatchedWorkspace extends NodeWorkspace {
  readonly listeners = new Set<(p: string) => void>();
  reads = 0;
  onDidChange(l: (p: string) => void): Disposable {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }
  fire(p: string): void {
    for (const l of this.listeners) l(p);
  }
  override async readFile(file: string): Promise<string | undefined> {
    this.reads++;
    return super.readFile(file);
  }
}

describe('warm index (a port with change events)', () => {
  let root: string;
  before(() => configureTokenCache(null));
  beforeEach(() => {
    const files: Record<string, string> = { 'src/main.ts': "import { helper } from './helper'\nexport const main = () => helper()\n", 'src/helper.ts': 'export const helper = () => 1\n' };
    for (let i = 0; i < 150; i++) files[`src/other/m${i}.ts`] = filler(`m${i}f`, 5);
    root = tempRepo(files);
  });
  afterEach(() => rm(root));

  it('re-reads only what changed, and sees edits, new files and deletions', async () => {
    const port = new WatchedWorkspace([root]);
    const req = { query: 'helper', activeFile: 'src/main.ts', selection: [2, 2] as [number, number], budget: 4000, repoMap: false };
    const first = await packContext(req, port, { git: false });
    assert.ok(first.items.some((i) => i.path === 'src/helper.ts'));
    const readsAfterFirst = port.reads;
    assert.ok(readsAfterFirst >= 152);

    const again = await packContext(req, port, { git: false });
    assert.deepEqual(again.items.map((i) => i.path), first.items.map((i) => i.path));
    assert.ok(port.reads - readsAfterFirst <= 1, `a repeat re-read ${port.reads - readsAfterFirst} files`);

    port.setOverlay(path.join(root, 'src/helper.ts'), 'export const helper = () => 2 // EDITED\n');
    port.fire(path.join(root, 'src/helper.ts'));
    const edited = await packContext(req, port, { git: false });
    assert.ok(edited.items.find((i) => i.path === 'src/helper.ts')?.text.includes('EDITED'));

    fs.writeFileSync(path.join(root, 'src/helperTwo.ts'), 'export const helperTwo = () => 3 // helper\n');
    port.fire(path.join(root, 'src/helperTwo.ts'));
    const created = await packContext({ ...req, query: 'helperTwo' }, port, { git: false });
    assert.ok(created.items.some((i) => i.path === 'src/helperTwo.ts'), 'a new file is found');

    fs.rmSync(path.join(root, 'src/helperTwo.ts'));
    port.fire(path.join(root, 'src/helperTwo.ts'));
    const deleted = await packContext({ ...req, query: 'helperTwo' }, port, { git: false });
    assert.ok(!deleted.items.some((i) => i.path === 'src/helperTwo.ts'));
    assert.ok(!deleted.withheld.some((w) => w.path === 'src/helperTwo.ts'));
  });
});
