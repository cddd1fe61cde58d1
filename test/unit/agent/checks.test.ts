import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverChecks } from '../../../src/core/agent/checks';

describe('agent check discovery', () => {
  let root: string;
  const w = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true }); fs.writeFileSync(path.join(root, rel), text); };
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-checks-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('proposes package.json scripts with the project\'s package manager, skipping npm\'s placeholder test', async () => {
    w('package.json', JSON.stringify({ scripts: { build: 'tsc', lint: 'eslint .', test: 'mocha', start: 'node x', 'type-check': 'tsc --noEmit' } }));
    assert.deepEqual(await discoverChecks(root), [
      { name: 'typecheck', command: 'npm run type-check' }, { name: 'lint', command: 'npm run lint' },
      { name: 'test', command: 'npm test' }, { name: 'build', command: 'npm run build' },
    ]);
    w('pnpm-lock.yaml', '');
    w('package.json', JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1', lint: 'eslint' } }));
    assert.deepEqual(await discoverChecks(root), [{ name: 'lint', command: 'pnpm run lint' }]);
  });

  it('reads a Makefile, pyproject.toml, Cargo.toml and go.mod, naming duplicates by their tool', async () => {
    w('Makefile', 'CC := gcc\ntest: build\n\tgo test\nlint:\n\tvet\n');
    w('pyproject.toml', '[tool.ruff]\nline-length = 100\n[tool.pytest.ini_options]\n');
    w('go.mod', 'module x\n');
    assert.deepEqual(await discoverChecks(root), [
      { name: 'lint', command: 'make lint' }, { name: 'test', command: 'make test' },
      { name: 'lint (ruff)', command: 'ruff check .' }, { name: 'test (python)', command: 'python -m pytest -q' },
      { name: 'build', command: 'go build ./...' }, { name: 'lint (go)', command: 'go vet ./...' }, { name: 'test (go)', command: 'go test ./...' },
    ]);
  });

  it('finds nothing in a folder without manifests', async () => {
    assert.deepEqual(await discoverChecks(root), []);
  });
});
