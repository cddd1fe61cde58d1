import assert from 'node:assert/strict';
import { loadResolverConfig, parseImports, resolveImport } from '../../../src/core/context/imports';

describe('import resolution', () => {
  const files = new Set(['src/a.ts', 'src/b/index.ts', 'src/c.tsx', 'src/lib/util.ts', 'packages/core/package.json', 'packages/core/src/index.ts', 'packages/core/src/sub.ts', 'tsconfig.json', 'src/legacy.js']);
  const read = async (rel: string) => ({
    'tsconfig.json': '{ /* c */ "compilerOptions": { "baseUrl": "./src", "paths": { "@lib/*": ["lib/*"] }, } }',
    'packages/core/package.json': '{ "name": "@acme/core", "exports": { ".": { "import": "./dist/index.js" } } }',
  } as Record<string, string>)[rel];

  it('parses specifiers and imported names', () => {
    const imps = parseImports(`import { a, b as c, type T } from './a'\nimport d from "./d"\nexport * from './e'\nconst f = require('./f')\nconst g = await import('./g')\n`);
    assert.deepEqual(imps.map((i) => i.spec), ['./a', './d', './e', './f', './g']);
    assert.deepEqual(imps[0].names, ['a', 'b', 'T']);
  });

  it('resolves relative, .js-for-.ts, index, tsconfig paths/baseUrl and workspace packages', async () => {
    const cfg = await loadResolverConfig([...files], read);
    assert.equal(resolveImport('src/x.ts', './a.js', files, cfg), 'src/a.ts');
    assert.equal(resolveImport('src/x.ts', './b', files, cfg), 'src/b/index.ts');
    assert.equal(resolveImport('src/x.ts', './c.js', files, cfg), 'src/c.tsx');
    assert.equal(resolveImport('src/x.ts', './legacy', files, cfg), 'src/legacy.js');
    assert.equal(resolveImport('src/x.ts', '@lib/util', files, cfg), 'src/lib/util.ts');
    assert.equal(resolveImport('src/x.ts', 'lib/util', files, cfg), 'src/lib/util.ts');
    assert.equal(resolveImport('src/x.ts', '@acme/core', files, cfg), 'packages/core/src/index.ts');
    assert.equal(resolveImport('src/x.ts', '@acme/core/sub', files, cfg), 'packages/core/src/sub.ts');
    assert.equal(resolveImport('src/x.ts', 'react', files, cfg), undefined);
  });
});
