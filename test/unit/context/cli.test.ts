import assert from 'node:assert/strict';
import { contextCommand } from '../../../src/cli/context';
import { configureTokenCache } from '../../../src/core/tokens';
import { rm, tempRepo } from './helpers';

async function run(argv: string[], cwd: string) {
  let out = '';
  let err = '';
  const code = await contextCommand(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, env: {}, cwd });
  return { code, out, err };
}

describe('ponder context (CLI)', () => {
  let root: string;
  before(() => configureTokenCache(null));
  beforeEach(() => {
    root = tempRepo({
      'src/a.ts': "import { computeBase } from './b'\nexport const a = () => computeBase() + 1\n",
      'src/b.ts': 'export function computeBase() {\n  return 41\n}\n',
    });
  });
  afterEach(() => rm(root));

  it('prints the JSON of the contract with paths relative to --root', async () => {
    const r = await run(['--root', root, '--query', 'what does a return', '--file', 'src/a.ts', '--selection', '2:2', '--budget', '2000', '--json'], '/');
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { budget: number; used: number; items: Array<{ path: string; ranges?: number[][]; tokens: number; reason: string }> };
    assert.equal(json.budget, 2000);
    assert.deepEqual(json.items.map((i) => i.path), ['src/a.ts', 'src/b.ts']);
    assert.equal(json.used, json.items.reduce((n, i) => n + i.tokens, 0));
    assert.match(json.items[1].reason, /defines `computeBase` used in the selection/);
    assert.ok(json.items.every((i) => !('text' in i)), 'no file text in the JSON');
  });

  it('prints a readable table without --json', async () => {
    const r = await run(['--root', root, '--query', 'b', '--file', 'src/a.ts', '--budget', '2000'], '/');
    assert.equal(r.code, 0);
    assert.match(r.out, /tokens\s+path\s+reason/);
    assert.match(r.out, /src\/b\.ts\s+imported by the active file|src\/b\.ts\s+defines/);
    assert.match(r.out, /of 2000 tokens in 2 items/);
  });

  it('answers bad usage with exit code 2 and names the flag', async () => {
    assert.equal((await run(['--root', root, '--budget', '10'], '/')).code, 2);
    const bad = await run(['--root', root, '--query', 'x', '--budget', 'lots'], '/');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--budget/);
    const sel = await run(['--root', root, '--query', 'x', '--file', 'src/a.ts', '--selection', '5-2', '--budget', '10'], '/');
    assert.match(sel.err, /--selection/);
    assert.match((await run(['--root', root + '/nope', '--query', 'x'], '/')).err, /not a directory/);
  });
});
