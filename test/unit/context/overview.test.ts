import assert from 'node:assert/strict';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { configureTokenCache } from '../../../src/core/tokens';
import { isRepositoryQuestion, manifestEntries } from '../../../src/core/context/overview';
import { filler, rm, tempRepo } from './helpers';

describe('questions about the whole repository', () => {
  let root: string;
  before(() => configureTokenCache(null));
  beforeEach(() => {
    root = tempRepo({
      'README.md': '# Lantern\nA tiny HTTP framework. Start with `npm run dev`.\n',
      'package.json': JSON.stringify({ name: 'lantern', main: './dist/cjs/index.js', bin: { lantern: './dist/cli.js' }, scripts: { dev: 'tsx src/cli.ts' } }, null, 2),
      'tsconfig.json': '{ "compilerOptions": { "strict": true } }\n',
      'src/index.ts': "export { App } from './app'\n",
      'src/app.ts': 'export class App {}\n',
      'src/cli.ts': "import { App } from './app'\nnew App()\n",
      'packages/plugin/package.json': '{"name":"@lantern/plugin"}',
      'packages/plugin/src/index.ts': 'export const plugin = 1\n',
      ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`src/parts/summary${i}.ts`, filler(`summarizeRepository${i}`, 40)])),
    });
  });
  afterEach(() => rm(root));

  it('"Summarize this repository" packs the README, the manifests, the entry points and the map', async () => {
    const p = await packContext({ query: 'Summarize this repository', budget: 8000 }, new NodeWorkspace([root]), { git: false });
    const paths = p.items.map((i) => i.path);
    for (const want of ['README.md', 'package.json', 'src/index.ts', 'src/cli.ts', 'tsconfig.json', '(repository map)']) assert.ok(paths.includes(want), `${want} packed: ${paths.join(', ')}`);
    // They lead: files that only share the request's words come after them.
    assert.ok(paths.indexOf('README.md') < paths.findIndex((x) => x.startsWith('src/parts/')) || !paths.some((x) => x.startsWith('src/parts/')));
    assert.match(p.items.find((i) => i.path === 'README.md')!.reason, /README/);
    assert.ok(p.used <= 8000);
  });

  it('does the same from the editor, with a file open but nothing selected', async () => {
    const p = await packContext({ query: 'give me an overview of the architecture of this project', activeFile: 'src/app.ts', budget: 8000 }, new NodeWorkspace([root]), { git: false });
    const paths = p.items.map((i) => i.path);
    assert.equal(paths[0], 'src/app.ts');
    for (const want of ['README.md', 'package.json', 'src/index.ts']) assert.ok(paths.includes(want), `${want} packed`);
  });

  it('tells repository questions from questions about the selected code', () => {
    assert.equal(isRepositoryQuestion('Summarize this repository', false), true);
    assert.equal(isRepositoryQuestion('where is logging configured?', false), true);
    assert.equal(isRepositoryQuestion('how is this project organized', true), true);
    assert.equal(isRepositoryQuestion('explain this function', true), false);
    assert.equal(isRepositoryQuestion('fix: off-by-one in the router', false), false);
  });

  it('reads entry points from a manifest, whatever its shape', () => {
    assert.deepEqual(manifestEntries(JSON.stringify({ main: 'lib/index.js', exports: { '.': { import: './dist/index.mjs', types: './dist/index.d.ts' }, './*': './dist/*.js' }, bin: 'cli.js' })).sort(), ['./dist/index.d.ts', './dist/index.mjs', 'cli.js', 'lib/index.js']);
    assert.deepEqual(manifestEntries('{ not json'), []);
  });
});
