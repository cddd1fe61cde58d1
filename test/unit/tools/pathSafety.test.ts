import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveWorkspacePath } from '../../../src/core/tools/pathSafety';
import { makeRunner } from './helpers';

describe('workspace path rules', () => {
  let base: string;
  let roots: { name: string; path: string }[];
  beforeEach(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-paths-')));
    roots = [{ name: 'app', path: path.join(base, 'app') }, { name: 'lib', path: path.join(base, 'lib') }];
    for (const r of roots) fs.mkdirSync(path.join(r.path, 'src'), { recursive: true });
    fs.writeFileSync(path.join(base, 'app/src/a.ts'), 'a');
    fs.writeFileSync(path.join(base, 'lib/src/b.ts'), 'b');
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it('resolves relative paths in the first folder, and "name/..." in a named folder of a multi-root workspace', async () => {
    const a = await resolveWorkspacePath(roots, 'src/a.ts');
    assert.ok(a.ok && a.abs === path.join(base, 'app/src/a.ts'));
    const b = await resolveWorkspacePath(roots, 'lib/src/b.ts');
    assert.ok(b.ok && b.abs === path.join(base, 'lib/src/b.ts') && b.root.name === 'lib');
  });

  it('tools name files with their folder in a multi-root workspace, and take such names back', async () => {
    fs.writeFileSync(path.join(base, 'lib/src/b.ts'), 'export function helper() {}\n');
    fs.writeFileSync(path.join(base, 'app/src/a.ts'), 'helper();\n');
    const { call } = makeRunner({ root: roots[0].path, host: { roots: () => roots } });
    const list = await call('list_files', { dir: 'lib' });
    assert.match(list.content, /^lib\/src\/b\.ts$/m);
    const all = await call('list_files', {});
    assert.match(all.content, /^2 files under all workspace folders:\napp\/src\/a\.ts\nlib\/src\/b\.ts$/);
    const search = await call('search_text', { query: 'helper' });
    assert.match(search.content, /^app\/src\/a\.ts:1: helper\(\);$/m);
    assert.match(search.content, /^lib\/src\/b\.ts:1: export function helper/m);
    const sym = await call('find_symbol', { name: 'helper' });
    assert.match(sym.content, /Definitions:\nlib\/src\/b\.ts:1: export function helper/);
    const read = await call('read_file', { path: 'lib/src/b.ts' });
    assert.match(read.content, /^File lib\/src\/b\.ts \(2 lines\)/);
  });

  it('refuses escapes across folders, Windows-style absolute paths and home paths, saying why', async () => {
    for (const p of ['../lib/src/b.ts', 'C:\\Windows\\win.ini', '\\\\server\\share', '~/.ssh/id_rsa']) {
      const r = await resolveWorkspacePath(roots, p);
      assert.equal(r.ok, false, p);
      if (!r.ok) assert.match(r.reason, /refused/);
    }
  });

  it('says when a file does not exist, unless a new file is allowed', async () => {
    const missing = await resolveWorkspacePath(roots, 'src/nope.ts');
    assert.ok(!missing.ok && /does not exist/.test(missing.reason));
    const allowed = await resolveWorkspacePath(roots, 'src/new/nope.ts', { allowMissing: true });
    assert.ok(allowed.ok && !allowed.exists);
  });
});
