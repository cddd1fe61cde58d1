import assert from 'node:assert/strict';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { configureTokenCache } from '../../../src/core/tokens';
import { filler, rm, tempRepo } from './helpers';

describe('signals that cross packages', () => {
  let root: string;
  before(() => configureTokenCache(null));
  afterEach(() => rm(root));

  it("a package's entry file (pkg/src/index.ts) finds the tests named for the package, in a top-level test folder", async () => {
    root = tempRepo({
      'packages/spy/src/index.ts': 'export function spyOn(obj: object, key: string) {\n  return [obj, key]\n}\n',
      'packages/spy/package.json': '{"name":"@demo/spy"}',
      'test/core/test/spy.test.ts': "import { spyOn } from '@demo/spy'\ntest('spies', () => spyOn({}, 'a'))\n",
      'test/core/test/other.test.ts': "test('other', () => 1)\n",
      ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`packages/misc/src/m${i}.ts`, filler(`m${i}x`, 10)])),
    });
    const p = await packContext({ query: 'fix: keep static properties', activeFile: 'packages/spy/src/index.ts', selection: [2, 2], budget: 8000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    assert.match(p.items.find((i) => i.path === 'test/core/test/spy.test.ts')?.reason ?? '', /tests for index\.ts/);
  });

  it('tests that share a specific word of the file name count as its tests (ast-collect.ts, static-collect.test.ts)', async () => {
    root = tempRepo({
      'packages/vitest/src/node/ast-collect.ts': 'export function collectTests(code: string) {\n  return code.length\n}\n',
      'test/cli/test/static-collect.test.ts': "test('collects', () => 1)\n",
      'test/cli/test/unrelated.test.ts': "test('other', () => 1)\n",
    });
    const p = await packContext({ query: 'fix: do not treat extra props as tests', activeFile: 'packages/vitest/src/node/ast-collect.ts', selection: [2, 2], budget: 8000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    assert.match(p.items.find((i) => i.path === 'test/cli/test/static-collect.test.ts')?.reason ?? '', /tests named like ast-collect\.ts/);
    assert.ok(!p.items.some((i) => i.path === 'test/cli/test/unrelated.test.ts' && /named like/.test(i.reason)));
  });

  it('a large budget is filled with the next files that share words with the request and selection, past the first hits', async () => {
    const files: Record<string, string> = { 'src/active.ts': 'export function renderWidgetFrame(frame: number) {\n  return frame * 2\n}\n' };
    for (let i = 0; i < 45; i++) files[`src/parts/p${i}.ts`] = `// renders a widget frame, part ${i}\nexport const part${i} = (frame: number) => frame + ${i}\n`;
    for (let i = 0; i < 20; i++) files[`src/noise/n${i}.ts`] = filler(`noise${i}x`, 5);
    root = tempRepo(files);
    const p = await packContext({ query: 'widget frame', activeFile: 'src/active.ts', selection: [2, 2], budget: 60000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    const parts = p.items.filter((i) => i.path.startsWith('src/parts/'));
    assert.equal(parts.length, 45, `every file sharing the words is packed (${parts.length})`);
    assert.ok(p.items.some((i) => /shares words with the request and the selection/.test(i.reason)), 'some found only by the deep lexical pass');
  });

  it("among many imports, the modules used near the selection come before those used far from it", async () => {
    const files: Record<string, string> = {};
    const imports: string[] = [];
    const fns: string[] = [];
    for (let i = 0; i < 30; i++) {
      files[`src/parts/part${i}.ts`] = `export function part${i}(n: number) {\n  return n + ${i}\n}\n`;
      imports.push(`import { part${i} } from './parts/part${i}'`);
      fns.push(`export function step${i}(n: number) {\n  const x = n * 2\n  return part${i}(x)\n}\n`);
    }
    files['src/app.ts'] = `${imports.join('\n')}\n\n${fns.join('\n')}`;
    root = tempRepo(files);
    const lines = files['src/app.ts'].split('\n');
    const sel = lines.indexOf('export function step18(n: number) {') + 2; // inside step18: uses part18
    const p = await packContext({ query: 'fix: double the step input', activeFile: 'src/app.ts', selection: [sel, sel], budget: 8000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    const at = (n: number) => p.items.findIndex((i) => i.path === `src/parts/part${n}.ts`);
    assert.ok(at(17) !== -1 && at(0) !== -1, JSON.stringify(p.items.map((i) => i.path)));
    assert.ok(at(17) < at(0), `part17 (used next to the selection) before part0 (used 70 lines away): ${JSON.stringify(p.items.map((i) => i.path))}`);
    assert.ok(at(19) < at(29), 'part19 before part29');
  });

  it('finds tests in a test folder that mirrors the source folder, not fixtures under it', async () => {
    root = tempRepo({
      'src/setupWorker/start/createStart.ts': 'export function createStart(options: object) {\n  return options\n}\n',
      'test/msw-api/setup-worker/start/find-worker.test.ts': "test('finds the worker', () => 1)\n",
      'test/msw-api/setup-server/listen.test.ts': "test('listens', () => 1)\n",
      'test/fixtures/setup-worker/start/worker.js': 'self.addEventListener("install", () => 1)\n',
      ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`test/msw-api/area${i}/case${i}.test.ts`, `test('case ${i}', () => ${i})\n`])),
    });
    const p = await packContext({ query: 'refactor: throw on start fail', activeFile: 'src/setupWorker/start/createStart.ts', selection: [2, 2], budget: 8000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    assert.match(p.items.find((i) => i.path === 'test/msw-api/setup-worker/start/find-worker.test.ts')?.reason ?? '', /tests in a folder like src\/setupWorker\/start\//);
    assert.ok(!p.items.some((i) => i.path === 'test/fixtures/setup-worker/start/worker.js' && /tests in a folder/.test(i.reason)), 'a fixture is no test');
    assert.ok(!p.items.some((i) => i.path === 'test/msw-api/area3/case3.test.ts' && /tests in a folder/.test(i.reason)), 'sharing only common folder words is no mirror');
  });

  it('code names spelled out in the request find the files named so and the files that export them', async () => {
    root = tempRepo({
      'packages/client/src/links/httpLink.ts': "import { retryLink } from './retryLink'\nexport const httpLink = () => retryLink()\n",
      'packages/client/src/links/retryLink.ts': 'export function retryLink() {\n  return 1\n}\n',
      'packages/server/src/types.ts': 'export interface GraphQLResponseBody {\n  data?: unknown\n}\n',
      ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`packages/misc/src/m${i}.ts`, filler(`m${i}x`, 10)])),
    });
    const p = await packContext({ query: 'feat(client): add `retryDelayMs`-option to `retryLink`, typed by GraphQLResponseBody', activeFile: 'packages/misc/src/m1.ts', selection: [2, 2], budget: 8000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    assert.match(p.items.find((i) => i.path === 'packages/client/src/links/retryLink.ts')?.reason ?? '', /`retryLink`.*named in the request|named in the request \(`retryLink`\)/);
    assert.match(p.items.find((i) => i.path === 'packages/server/src/types.ts')?.reason ?? '', /defines `GraphQLResponseBody`, named in the request/);
  });
});
