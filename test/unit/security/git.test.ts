import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { contextCommand } from '../../../src/cli/context';
import { configureTokenCache } from '../../../src/core/tokens';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { commitAll, git, rm, tempRepo } from '../context/helpers';
import { makeRunner } from '../tools/helpers';

/**
 * A hostile clone: its .git/config names programs for git to run while Ponder only reads
 * (fsmonitor, a clean filter, a textconv and an external diff driver, hooks). Each program
 * leaves a file behind if it runs.
 */
function hostileRepo(): { root: string; ran: () => string[] } {
  const root = tempRepo({
    'src/a.ts': 'export const a = 1\n',
    'src/b.ts': 'import { a } from "./a"\nexport const b = a + 1\n',
    '.gitattributes': '*.ts filter=evil diff=evil\n',
  });
  git(root, 'init', '-q');
  commitAll(root, 'init');
  const marks = path.join(root, '.marks');
  fs.mkdirSync(marks);
  const prog = (name: string) => {
    const p = path.join(root, `.${name}.sh`);
    fs.writeFileSync(p, `#!/bin/sh\ntouch "${marks}/${name}"\ncat\n`, { mode: 0o755 });
    return p;
  };
  git(root, 'config', 'core.fsmonitor', prog('fsmonitor'));
  git(root, 'config', 'filter.evil.clean', prog('clean'));
  git(root, 'config', 'filter.evil.smudge', prog('smudge'));
  git(root, 'config', 'diff.evil.textconv', prog('textconv'));
  git(root, 'config', 'diff.evil.command', prog('extdiff'));
  git(root, 'config', 'diff.external', prog('external'));
  git(root, 'config', 'core.pager', prog('pager'));
  git(root, 'config', 'log.showSignature', 'true');
  git(root, 'config', 'gpg.program', prog('gpg'));
  // A driver name with "=" in it: `-c filter.x=y.clean=` would not have blanked it.
  git(root, 'config', 'filter.x=y.clean', prog('clean2'));
  fs.appendFileSync(path.join(root, '.gitattributes'), 'b.ts filter=x=y\n');
  // Touch the files so git must look at their content (stat-dirty) and they show as changed.
  fs.appendFileSync(path.join(root, 'src/a.ts'), 'export const c = 3\n');
  fs.utimesSync(path.join(root, 'src/b.ts'), new Date(), new Date(Date.now() + 5000));
  return { root, ran: () => fs.readdirSync(marks) };
}

describe('security: git runs none of the repository\'s programs', () => {
  before(() => configureTokenCache(null));
  let repo: ReturnType<typeof hostileRepo>;
  beforeEach(() => { repo = hostileRepo(); });
  afterEach(() => rm(repo.root));

  it('the attack is real: plain git status runs the fsmonitor and the clean filter of this repository', () => {
    git(repo.root, 'status', '--porcelain');
    assert.ok(repo.ran().includes('fsmonitor') || repo.ran().includes('clean'), `ran: ${repo.ran().join(',')}`);
  });

  it('ponder context (tools off) packs the working-tree changes and runs none of them', async () => {
    let out = '';
    let err = '';
    const code = await contextCommand(['--root', repo.root, '--query', 'what changed in a', '--file', 'src/b.ts', '--budget', '2000', '--json'], { out: (t) => { out += t; }, err: (t) => { err += t; }, env: {}, cwd: repo.root });
    assert.equal(code, 0, err);
    assert.deepEqual(repo.ran(), []);
    const items = (JSON.parse(out) as { items: Array<{ path: string; reason: string }> }).items;
    assert.ok(items.some((i) => i.path === 'src/a.ts' && /changed in the working tree/.test(i.reason)), `git still answered: ${out}`);
  });

  it('git_diff shows the diff without textconv, external diff, pager or signature programs', async () => {
    const { call } = makeRunner({ root: repo.root, enabled: 'read' });
    const r = await call('git_diff', {});
    assert.equal(r.ok, true, r.content);
    assert.match(r.content, /\+export const c = 3/);
    assert.deepEqual(repo.ran(), []);
  });

  it('packing with git off (an untrusted workspace) runs no git at all', async () => {
    const port = new NodeWorkspace([repo.root]);
    const packed = await packContext({ query: 'what changed', activeFile: path.join(repo.root, 'src/b.ts'), budget: 2000 }, port, { git: false, cacheDir: null });
    assert.ok(packed.items.every((i) => !/changed in the working tree/.test(i.reason)));
    assert.deepEqual(repo.ran(), []);
  });
});

describe('security: git_diff stays in the workspace folder', () => {
  let outer: string;
  let inner: string;
  beforeEach(() => {
    outer = tempRepo({ 'secret.env': 'TOKEN=one\n', 'app/src/x.ts': 'export const x = 1\n' });
    git(outer, 'init', '-q');
    commitAll(outer, 'init');
    fs.writeFileSync(path.join(outer, 'secret.env'), 'TOKEN=two-hunter2-leaked\n');
    fs.writeFileSync(path.join(outer, 'above.txt'), 'x');
    git(outer, 'add', 'above.txt');
    fs.appendFileSync(path.join(outer, 'app/src/x.ts'), 'export const y = 2\n');
    inner = path.join(outer, 'app');
  });
  afterEach(() => rm(outer));

  for (const magic of [':(top)', ':/', ':(top)secret.env', ':!x']) {
    it(`refuses the pathspec "${magic}" and names it`, async () => {
      const { call } = makeRunner({ root: inner, enabled: 'read' });
      const r = await call('git_diff', { path: magic });
      assert.equal(r.ok, false);
      assert.match(r.content, /pathspec magic/);
      assert.doesNotMatch(r.content, /hunter2/);
    });
  }

  it('a folder nested in a larger repository sees only its own changes, paths relative to it', async () => {
    const { call } = makeRunner({ root: inner, enabled: 'read' });
    const all = await call('git_diff', {});
    assert.match(all.content, /diff --git a\/src\/x\.ts b\/src\/x\.ts/);
    assert.doesNotMatch(all.content, /secret\.env|hunter2/);
    const staged = await call('git_diff', { staged: true });
    assert.doesNotMatch(staged.content, /above\.txt/);
  });
});
