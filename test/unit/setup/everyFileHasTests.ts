// Mocha root hook: a test file that registers no test fails the run. An empty or emptied file
// (a checkpoint that lost its body, a suite whose tests were all deleted) would otherwise pass
// silently and hide the gap it leaves. Skipped with --grep/--fgrep, which filter tests by design.
import fs from 'node:fs';
import path from 'node:path';
import type { Suite } from 'mocha';

const specRoot = path.resolve(__dirname, '..');

function specFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return specFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

function filesWithTests(suite: Suite, into = new Set<string>()): Set<string> {
  for (const t of suite.tests) if (t.file) into.add(path.resolve(t.file));
  for (const s of suite.suites) filesWithTests(s, into);
  return into;
}

const filtered = process.argv.some((a) => /^(-g|-f|--grep|--fgrep)(=|$)/.test(a));

export const mochaHooks = {
  beforeAll(this: Mocha.Context) {
    if (filtered) return;
    let root = this.test?.parent;
    while (root?.parent) root = root.parent;
    if (!root) return;
    const withTests = filesWithTests(root);
    const empty = specFiles(specRoot).filter((f) => !withTests.has(f));
    if (empty.length) {
      throw new Error(`Test files that register no test (write their tests or delete them): ${empty.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
    }
  },
};
