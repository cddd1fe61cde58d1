import assert from 'node:assert/strict';
import path from 'node:path';
import { gather } from '../../../src/core/context/gather';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { configureTokenCache } from '../../../src/core/tokens';
import { filler, rm, tempRepo } from './helpers';

describe('the learned ranking', () => {
  let root: string;
  before(() => configureTokenCache(null));
  afterEach(() => rm(root));

  it('brings the shared helper that the tests of the edited code import, from a test folder far from it', async () => {
    root = tempRepo({
      'packages/core/src/parser.ts': 'export function parseHeader(line: string) {\n  return line.split(":")\n}\n',
      'packages/core/package.json': '{"name":"@demo/core"}',
      'test/unit/parsing.test.ts': "import { parseHeader } from '../../packages/core/src/parser'\nimport { withServer } from '../utils/server'\ntest('parses', () => withServer(() => parseHeader('a: b')))\n",
      'test/utils/server.ts': 'export function withServer(fn: () => void) {\n  fn()\n}\n',
      ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`packages/misc/src/m${i}.ts`, filler(`m${i}x`, 10)])),
    });
    const p = await packContext({ query: 'fix: trim the header value', activeFile: 'packages/core/src/parser.ts', selection: [2, 2], budget: 8000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    assert.match(p.items.find((i) => i.path === 'test/unit/parsing.test.ts')?.reason ?? '', /tests that import parser\.ts/);
    assert.match(p.items.find((i) => i.path === 'test/utils/server.ts')?.reason ?? '', /a test helper used by parsing\.test\.ts/);
  });

  it('of two files the request words match alike, the one beside the edited code ranks first, not an example far away', async () => {
    root = tempRepo({
      'src/router/trie.ts': "export function insertRoute(path: string) {\n  return path.split('/')\n}\n",
      'src/router/segment.ts': filler('segmentPart', 20) + '// an optional segment matches an empty value\nexport function matchSegment(s: string) { return s }\n',
      'examples/blog/optional-segment-routes.ts': '// optional segment routes: matching optional segments\nconst optionalSegment = "/posts/:id?"\nexport const routes = [optionalSegment]\n',
      ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`src/misc/m${i}.ts`, filler(`m${i}x`, 10)])),
    });
    const index = new WorkspaceIndex(new NodeWorkspace([root]), { cacheDir: null });
    await index.refresh(Date.now() + 30_000);
    const active = index.files.get(index.locate(path.join(root, 'src/router/trie.ts'))!.key);
    const g = await gather({ index, query: 'fix: optional segment matching', active, selection: [2, 2], open: [], diagnostics: [], git: false, deadline: Date.now() + 30_000 });
    assert.deepEqual(g.ranked.slice(0, 2).map((c) => c.file.rel), ['src/router/segment.ts', 'examples/blog/optional-segment-routes.ts']);
    // Each candidate carries its likelihood, highest first.
    assert.ok(g.ranked[0].likelihood! > g.ranked[1].likelihood! && g.ranked[0].likelihood! < 1);
  });
});
