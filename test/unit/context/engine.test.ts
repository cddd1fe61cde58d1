import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { configureTokenCache, countTokens } from '../../../src/core/tokens';
import { renderContext } from '../../../src/core/context/render';
import type { PackedContext } from '../../../src/core/context/types';
import { commitAll, filler, git, rm, tempRepo, writeFiles } from './helpers';

const ROUTER = `import { splitPath } from './utils/url'
import type { Handler } from './types'

export class Router {
  private routes: Array<[string, Handler]> = []

  add(path: string, handler: Handler) {
    this.routes.push([path, handler])
  }

  match(path: string): Handler | undefined {
    const parts = splitPath(path)
    for (const [p, h] of this.routes) {
      if (splitPath(p).join('/') === parts.join('/')) return h
    }
    return undefined
  }
}
`;

function baseRepo(): string {
  return tempRepo({
    'package.json': '{"name":"demo","version":"1.0.0"}',
    'tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["src/*"] } } // comment\n}',
    'src/router.ts': ROUTER,
    'src/utils/url.ts': `/** Splits a path into segments. */\nexport const splitPath = (path: string): string[] => path.split('/').filter(Boolean)\n\nexport function mergePath(a: string, b: string) {\n  return a + '/' + b\n}\n`,
    'src/types.ts': 'export type Handler = (req: Request) => Response\n',
    'src/app.ts': "import { Router } from './router.js'\nexport const app = new Router()\n",
    'src/router.test.ts': "import { Router } from './router'\ndescribe('Router', () => { it('matches', () => { new Router() }) })\n",
    'src/middleware/etag/index.ts': '// Computes an ETag header for each response body.\nexport const etag = () => (body: string) => `W/"${body.length}"`\n',
    'src/unrelated/big.ts': filler('unrelated', 200),
    'docs/guide.md': '# Guide\nHow to use the router.\n',
  });
}

function byPath(p: PackedContext, rel: string) {
  return p.items.find((i) => i.path === rel);
}

describe('packContext', () => {
  let root: string;
  before(() => configureTokenCache(null));
  beforeEach(() => { root = baseRepo(); });
  afterEach(() => rm(root));

  it('packs the selection, the imports that define its names, the importers and the tests, each with a reason', async () => {
    const port = new NodeWorkspace([root]);
    const p = await packContext({ query: 'why does match fail for trailing slashes', activeFile: 'src/router.ts', selection: [12, 13], budget: 8000, repoMap: false }, port, { git: false });
    assert.equal(p.items[0].path, 'src/router.ts');
    assert.equal(p.items[0].kind, 'active');
    const url = byPath(p, 'src/utils/url.ts');
    assert.ok(url, 'the file defining splitPath is packed');
    assert.match(url.reason, /defines `splitPath` used in the selection/);
    assert.match(byPath(p, 'src/app.ts')?.reason ?? '', /imports the active file/, 'importer resolved through a `.js` specifier');
    assert.match(byPath(p, 'src/router.test.ts')?.reason ?? '', /tests for router\.ts/);
    assert.match(byPath(p, 'src/types.ts')?.reason ?? '', /imported by the active file/);
    assert.ok(p.items.findIndex((i) => i.path === 'src/utils/url.ts') < p.items.findIndex((i) => i.path === 'src/unrelated/big.ts') || !byPath(p, 'src/unrelated/big.ts'), 'relevant before unrelated');
  });

  it('finds files by the words of the request (BM25 over paths and contents)', async () => {
    const p = await packContext({ query: 'fix(etag): weak etag for empty bodies', budget: 4000, repoMap: false }, new NodeWorkspace([root]), { git: false });
    assert.equal(p.items[0].path, 'src/middleware/etag/index.ts');
    assert.match(p.items[0].reason, /matches 'etag'/);
  });

  it('never exceeds the budget and counts each item exactly as rendered', async () => {
    for (const budget of [0, 50, 300, 1000, 2500, 20000]) {
      const p = await packContext({ query: 'router match', activeFile: 'src/router.ts', selection: [12, 13], budget }, new NodeWorkspace([root]), { git: false });
      const sum = p.items.reduce((n, i) => n + i.tokens, 0);
      assert.equal(p.used, sum);
      assert.ok(sum <= budget, `${sum} <= ${budget}`);
      for (const i of p.items) assert.equal(i.tokens, countTokens(i.text), i.path);
      assert.equal(countTokens(renderContext(p.items)), sum, 'the rendered prompt counts as the sum of its items');
    }
  });

  it('excerpts a large file by its enclosing functions with true 1-based line ranges', async () => {
    const big = filler('helper', 300); // ~1200 lines
    fs.writeFileSync(path.join(root, 'src/big.ts'), big);
    const p = await packContext({ query: 'helper', activeFile: 'src/big.ts', selection: [401, 402], budget: 1500, repoMap: false }, new NodeWorkspace([root]), { git: false });
    const item = p.items[0];
    assert.equal(item.path, 'src/big.ts');
    assert.ok(item.ranges && item.ranges.length > 0, 'an excerpt, not the whole file');
    const lines = big.split('\n');
    const [s, e] = item.ranges.find(([a, b]) => a <= 401 && b >= 402)!;
    assert.ok(s <= 401 && e >= 402, 'covers the selection');
    // The blank lines around a block come with it (they show where its scope ends).
    const shown = lines.slice(s - 1, e);
    assert.ok(shown[0] === '' || /^export function helper\d+/.test(shown[0]));
    assert.match(shown.find((l) => l !== '')!, /^export function helper\d+/, 'starts at the enclosing function');
    assert.equal(shown.filter((l) => l !== '').at(-1), '}', 'ends at its closing brace, no line split');
    assert.ok(shown.length - shown.filter((l) => l !== '').length <= 3, 'at most a blank line before and two after');
    for (let ln = s; ln <= e; ln++) assert.ok(item.text.includes(lines[ln - 1]));
    assert.match(item.text, new RegExp(`### src/big.ts \\(lines [^)]*${s}-${e}`));
  });

  it("a long test file's excerpt shows the close of its last case and suite, where new cases go", async () => {
    const cases = Array.from({ length: 200 }, (_, i) => `  it('case ${i}', () => {\n    expect(render(${i})).toBe(${i})\n  })\n`).join('\n');
    writeFiles(root, { 'src/render.test.ts': `import { render } from './render'\n\ndescribe('render', () => {\n${cases}})\n`, 'src/render.ts': 'export function render(n: number) {\n  return n\n}\n' });
    const p = await packContext({ query: 'fix: render negative numbers', activeFile: 'src/render.ts', selection: [2, 2], budget: 2000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    const item = p.items.find((i) => i.path === 'src/render.test.ts');
    assert.ok(item?.ranges, 'the test file is excerpted, not whole');
    const lastLine = fs.readFileSync(path.join(root, 'src/render.test.ts'), 'utf8').trimEnd().split('\n').length;
    // The close of the last case and of the suite: a new case goes right after the first.
    for (const ln of [lastLine - 1, lastLine]) assert.ok(item.ranges.some(([a, b]) => a <= ln && b >= ln), `line ${ln} is shown: ${JSON.stringify(item.ranges)}`);
  });

  it('sends <|endoftext|> found in a file as inert text and counts it', async () => {
    fs.writeFileSync(path.join(root, 'src/tokens.ts'), 'export const EOT = "<|endoftext|>"\n');
    const p = await packContext({ query: 'EOT endoftext', activeFile: 'src/tokens.ts', budget: 2000, repoMap: false }, new NodeWorkspace([root]), { git: false });
    const item = p.items[0];
    assert.ok(!item.text.includes('<|endoftext|>'), 'no raw special token reaches a server');
    assert.ok(item.text.includes('<\u200b|endoftext|>'));
    assert.equal(item.tokens, countTokens(item.text));
  });

  it('prefers unsaved editor text over disk', async () => {
    const port = new NodeWorkspace([root]);
    port.setOverlay(path.join(root, 'src/types.ts'), 'export type Handler = (req: Request) => Promise<Response> // UNSAVED\n');
    const p = await packContext({ query: 'handler', activeFile: 'src/types.ts', budget: 2000, repoMap: false }, port, { git: false });
    assert.ok(p.items[0].text.includes('UNSAVED'));
  });

  it('marks the result partial when the time limit cuts the search short', async () => {
    for (let i = 0; i < 400; i++) fs.writeFileSync(path.join(root, `src/unrelated/f${i}.ts`), filler(`f${i}x`, 20));
    const p = await packContext({ query: 'router', activeFile: 'src/router.ts', budget: 4000, timeLimitMs: 1 }, new NodeWorkspace([root]), { git: false });
    assert.equal(p.partial, true);
    assert.ok(p.used <= 4000);
  });

  it('adds a repository map when the budget allows', async () => {
    const p = await packContext({ query: 'router', budget: 40000 }, new NodeWorkspace([root]), { git: false });
    const map = p.items.find((i) => i.kind === 'map');
    assert.ok(map, 'map packed');
    assert.match(map.text, /router\.ts: Router/);
    assert.match(map.text, /url\.ts: splitPath, mergePath/);
  });

  it('uses git: files changed together and the working-tree diff', async () => {
    git(root, 'init', '-q');
    commitAll(root, 'init');
    for (let i = 0; i < 3; i++) {
      fs.appendFileSync(path.join(root, 'src/router.ts'), `// change ${i}\n`);
      fs.appendFileSync(path.join(root, 'docs/guide.md'), `change ${i}\n`);
      commitAll(root, `change ${i}`);
    }
    fs.appendFileSync(path.join(root, 'src/middleware/etag/index.ts'), '// wip\n');
    const p = await packContext({ query: 'something else entirely', activeFile: 'src/router.ts', budget: 8000, repoMap: false }, new NodeWorkspace([root]));
    assert.match(byPath(p, 'docs/guide.md')?.reason ?? '', /changed together with src\/router\.ts in 4 commits/);
    assert.match(byPath(p, 'src/middleware/etag/index.ts')?.reason ?? '', /changed in the working tree/);
  });

  it('finds the same file in a parallel tree (src/ and deno_dist/) and aligns the excerpt', async () => {
    fs.mkdirSync(path.join(root, 'deno_dist/utils'), { recursive: true });
    fs.copyFileSync(path.join(root, 'src/utils/url.ts'), path.join(root, 'deno_dist/utils/url.ts'));
    const p = await packContext({ query: 'merge paths', activeFile: 'deno_dist/utils/url.ts', selection: [4, 5], budget: 4000, repoMap: false }, new NodeWorkspace([root]), { git: false });
    assert.match(byPath(p, 'src/utils/url.ts')?.reason ?? '', /same file as the active one in another folder/);
  });

  it('packs files of every root in a multi-root workspace, prefixed by the root name', async () => {
    const other = tempRepo({ 'lib/etag-helpers.ts': 'export const etagHelper = () => "etag"\n' });
    try {
      const port = new NodeWorkspace([{ name: 'main', path: root }, { name: 'other', path: other }]);
      const p = await packContext({ query: 'etag helper', budget: 4000, repoMap: false }, port, { git: false });
      assert.ok(byPath(p, 'other/lib/etag-helpers.ts'), p.items.map((i) => i.path).join(', '));
      assert.ok(byPath(p, 'main/src/middleware/etag/index.ts'));
    } finally {
      rm(other);
    }
  });
});
