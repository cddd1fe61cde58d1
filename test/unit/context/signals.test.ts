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
});
