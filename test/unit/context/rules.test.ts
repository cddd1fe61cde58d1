import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { configureTokenCache } from '../../../src/core/tokens';
import ignore from 'ignore';
import { fileMatcher } from '../../../src/core/context/ignore';
import { rm, tempRepo } from './helpers';

describe('what never becomes context', () => {
  let root: string;
  before(() => configureTokenCache(null));
  beforeEach(() => {
    root = tempRepo({
      '.gitignore': 'generated/\n*.log\n',
      '.ponderignore': 'private-notes.md\n',
      'src/app.ts': 'export const widget = 1 // widget\n',
      'src/nested/.gitignore': 'local-only.ts\n',
      'src/nested/local-only.ts': 'export const widget = 2 // widget\n',
      'src/nested/kept.ts': 'export const widget = 3 // widget\n',
      'generated/out.ts': 'export const widget = 4 // widget\n',
      'debug.log': 'widget widget\n',
      'private-notes.md': 'widget notes\n',
      'excluded/thing.ts': 'export const widget = 5 // widget\n',
      'node_modules/pkg/index.js': 'module.exports = "widget"\n',
      'dist/bundle.js': 'var widget = 1\n',
      'src/vendor.min.js': 'var widget=1;' + 'x'.repeat(100) + '\n',
      'package-lock.json': '{"widget": true}\n',
      'src/blob.ts': Buffer.from('widget\u0000\u0001binary'),
      'src/huge.ts': '// widget\n' + 'export const widgetData = "' + 'y'.repeat(3000) + '"\n'.repeat(1),
      '.env': 'WIDGET_KEY=abc123supersecret\n',
      'certs/widget.pem': '-----BEGIN CERTIFICATE-----\nwidget\n',
      'src/config.ts': 'export const widget = { password: "Tr0ub4dor&3-widget" }\n',
    });
  });
  afterEach(() => rm(root));

  it('honours .gitignore (nested too), .ponderignore, excludes, vendored, generated, binary, size and secret rules', async () => {
    const p = await packContext({ query: 'widget', budget: 20000, exclude: ['excluded/'], maxFileSizeKB: 2, repoMap: false }, new NodeWorkspace([root]), { git: false });
    const paths = p.items.map((i) => i.path).sort();
    assert.deepEqual(paths, ['src/app.ts', 'src/config.ts', 'src/nested/kept.ts']);
    const why = (rel: string) => p.withheld.find((w) => w.path === rel)?.reason ?? '';
    assert.match(why('.env'), /secret/);
    assert.match(why('certs/widget.pem'), /secret/);
    assert.match(why('excluded/'), /ponder\.context\.exclude/);
    assert.match(why('src/huge.ts'), /size limit/);
    assert.match(why('src/blob.ts'), /binary/);
    assert.match(why('src/config.ts'), /credentials redacted/);
    const config = p.items.find((i) => i.path === 'src/config.ts')!;
    assert.ok(!config.text.includes('Tr0ub4dor'), 'the password never reaches the prompt');
    assert.ok(!p.items.some((i) => i.text.includes('abc123supersecret')));
  });

  it('redacts credentials just the same when a later process reuses the cached redaction', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-redact-'));
    try {
      for (const run of ['first', 'second', 'third']) {
        const p = await packContext({ query: 'widget password', budget: 20000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: cache });
        const config = p.items.find((i) => i.path === 'src/config.ts');
        assert.ok(config, run);
        assert.ok(!config.text.includes('Tr0ub4dor') && config.text.includes('REDACTED'), `${run}: redacted`);
        assert.match(p.withheld.find((w) => w.path === 'src/config.ts')?.reason ?? '', /1 line\(s\) that look like credentials redacted/, run);
      }
      // The cache holds the redacted line only, never the secret or pieces of it.
      const stored = fs.readdirSync(cache).map((f) => fs.readFileSync(path.join(cache, f), 'latin1')).join('\n');
      assert.ok(stored.length > 0 && !/Tr0ub4dor|"ub"|"dor"/i.test(stored), 'no secret in the cache files');
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });

  it('still sends the file the user has open when it is ignored, but never a secret one', async () => {
    const ignored = await packContext({ query: 'widget', activeFile: 'generated/out.ts', budget: 2000, repoMap: false }, new NodeWorkspace([root]), { git: false });
    assert.equal(ignored.items[0].path, 'generated/out.ts');
    assert.equal(ignored.items[0].kind, 'active');
    const secret = await packContext({ query: 'widget', activeFile: '.env', budget: 2000, repoMap: false }, new NodeWorkspace([root]), { git: false });
    assert.ok(!secret.items.some((i) => i.path === '.env' || i.text.includes('abc123supersecret')));
    assert.match(secret.withheld.find((w) => w.path === '.env')?.reason ?? '', /secret/);
  });

  it('follows symlinks only inside the workspace', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'leak.ts'), 'export const widget = "outside"\n');
      fs.symlinkSync(outside, path.join(root, 'linked-out'));
      fs.symlinkSync(path.join(root, 'src'), path.join(root, 'linked-in'));
      fs.symlinkSync(root, path.join(root, 'src/loop'));
      const p = await packContext({ query: 'widget', budget: 20000, repoMap: false }, new NodeWorkspace([root]), { git: false });
      assert.ok(!p.items.some((i) => i.text.includes('"outside"')), 'a link out of the workspace is not followed');
      assert.ok(p.items.some((i) => i.path.startsWith('linked-in/')) || p.items.some((i) => i.path === 'src/app.ts'));
    } finally {
      rm(outside);
    }
  });
});

describe('the ignore rules on a big listing', () => {
  // Each rule set's verdict on every path must be the matcher's own: the shortcuts (verdicts
  // kept per file name and per folder, rules naming a folder asked only for paths that start
  // as they do) may only save time.
  const sets: Record<string, string> = {
    'names, folders and anchors': '*.log\ncoverage\nbuild/Release\n/sandbox\ndocs/*.html\n.yarn/cache/\n**/fixtures/out\nTemp \n',
    'a negation (order decides)': '*.log\n!keep.log\nlogs/\n',
    'case (the matcher ignores it)': 'Build/Output\nsrc/Gen/\n',
    'escapes and classes': '\\#notes\nweird\\ name\n[Dd]ocs/gen\n',
  };
  const paths = [
    'a.log', 'src/a.log', 'keep.log', 'logs/keep.log', 'logs/x.ts', 'coverage', 'coverage/index.html', 'src/coverage/x.ts',
    'build/Release/x.node', 'build/Releases/x', 'pkg/build/Release/x', 'sandbox/x.ts', 'src/sandbox/x.ts', 'docs/a.html',
    'docs/sub/a.html', 'docs/a.md', '.yarn/cache/z.zip', '.yarn/cachex', 'a/b/fixtures/out/x.js', 'fixtures/out', 'Temp',
    'src/Temp', 'build/output/x', 'BUILD/OUTPUT', 'SRC/gen/x.ts', '#notes', 'weird name', 'Docs/gen/x', 'docs/gen', 'src/index.ts',
  ];
  for (const [name, text] of Object.entries(sets)) {
    it(`gives the matcher's verdict on every path: ${name}`, () => {
      const rules = ignore({ allowRelativePaths: true }).add(text);
      const fast = fileMatcher(text, ignore({ allowRelativePaths: true }).add(text));
      const differ = paths.filter((p) => fast(p) !== rules.ignores(p));
      assert.deepEqual(differ, []);
      // and the same when asked again (the kept verdicts)
      assert.deepEqual(paths.filter((p) => fast(p) !== rules.ignores(p)), []);
    });
  }
});
