// The integration runner's suite discovery and grouping (test/integration/suites.mjs), on real
// temp folders: which suites share a code-server launch, and how a bad setup file is reported.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Group {
  name: string;
  setup: { workspace: string | null; trust: string; settings: Record<string, unknown> };
  files: string[];
}
interface SuitesModule {
  findSuites(root: string, filters: string[]): string[];
  groupSuites(root: string, files: string[]): Group[];
}

describe('integration runner: suites and setup groups', () => {
  let root: string;
  let mod: SuitesModule;
  const write = (rel: string, text = 'describe("x", () => {});\n') => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };

  before(async () => {
    // A path in a variable: the runner is plain ESM JavaScript without type declarations.
    const runner = '../../integration/suites.mjs';
    mod = (await import(runner)) as SuitesModule;
  });
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-suites-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finds *.test.ts files only, filtered by a path fragment', () => {
    write('a/one.test.ts');
    write('a/helpers.ts');
    write('b/two.test.ts');
    assert.deepEqual(mod.findSuites(root, []).map((f) => path.relative(root, f)), ['a/one.test.ts', 'b/two.test.ts']);
    assert.deepEqual(mod.findSuites(root, ['two']).map((f) => path.relative(root, f)), ['b/two.test.ts']);
  });

  it('puts suites with equal setups in one group and a different setup in its own', () => {
    write('plain.test.ts');
    write('other.test.ts');
    write('untrusted.test.ts');
    write('untrusted.setup.json', JSON.stringify({ trust: 'untrusted' }));
    write('folder/setup.json', JSON.stringify({ trust: 'untrusted' }));
    write('folder/inherits.test.ts');
    const groups = mod.groupSuites(root, mod.findSuites(root, []));
    assert.equal(groups.length, 2);
    const byTrust = Object.fromEntries(groups.map((g) => [g.setup.trust, g.files.map((f) => path.relative(root, f)).sort()]));
    assert.deepEqual(byTrust.trusted, ['other.test.ts', 'plain.test.ts']);
    assert.deepEqual(byTrust.untrusted, ['folder/inherits.test.ts', 'untrusted.test.ts']);
    assert.equal(groups.find((g) => g.setup.trust === 'trusted')?.name, 'default');
  });

  it('gives each isolated setup file a launch of its own, even with equal settings', () => {
    write('ledger.test.ts');
    write('ledger.setup.json', JSON.stringify({ isolated: true }));
    write('history.test.ts');
    write('history.setup.json', JSON.stringify({ isolated: true }));
    write('plain.test.ts');
    const groups = mod.groupSuites(root, mod.findSuites(root, []));
    assert.deepEqual(groups.map((g) => g.name).sort(), ['default', 'history', 'ledger']);
  });

  it('names the setup file and the field when a setup is invalid', () => {
    write('bad.test.ts');
    write('bad.setup.json', JSON.stringify({ trust: 'maybe', colour: 'red' }));
    assert.throws(() => mod.groupSuites(root, mod.findSuites(root, [])), (err: Error) => {
      assert.match(err.message, /bad\.setup\.json/);
      assert.match(err.message, /trust|colour/);
      return true;
    });
  });
});
