import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as { engines?: { node?: string }; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };

/** The lowest version a `>=X[.Y[.Z]]` range admits, or undefined for any other form. */
function floorOf(range: string): number[] | undefined {
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}
const notAbove = (a: number[], b: number[]) => a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] <= b[2])));

describe('the declared Node version (package.json engines.node)', () => {
  it('is one every runtime dependency supports: none of them, direct or not, asks for a newer Node', () => {
    const ours = readJson(path.join(REPO, 'package.json'));
    const floor = floorOf(ours.engines?.node ?? '');
    assert.ok(floor, `engines.node is "${ours.engines?.node}": expected a ">=N" range`);
    // The production dependency tree as npm installed it (node_modules lookup, as require does).
    const seen = new Map<string, string | undefined>();
    const visit = (name: string, from: string): void => {
      for (let dir = from; ; dir = path.dirname(dir)) {
        const file = path.join(dir, 'node_modules', name, 'package.json');
        if (fs.existsSync(file)) {
          if (seen.has(file)) return;
          const pkg = readJson(file);
          seen.set(file, pkg.engines?.node);
          for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep, path.dirname(file));
          return;
        }
        if (path.dirname(dir) === dir) return; // an optional dependency that is not installed
      }
    };
    for (const dep of Object.keys(ours.dependencies ?? {})) visit(dep, REPO);
    assert.ok(seen.size > 10, `found ${seen.size} packages`);
    const newer = [...seen].flatMap(([file, range]) => {
      if (range === undefined) return [];
      const need = floorOf(range);
      const name = path.relative(path.join(REPO, 'node_modules'), path.dirname(file));
      if (!need) return [`${name}: engines.node "${range}" (a form this check does not read)`];
      return notAbove(need, floor) ? [] : [`${name}: engines.node "${range}"`];
    });
    assert.deepEqual(newer, [], `package.json says Node ${ours.engines?.node}`);
  });

  it('covers everything Node runs: each package that src/core, src/cli and src/vscode load is a production dependency', () => {
    // The webview's packages (marked, DOMPurify, preact) run in the browser and are devDependencies.
    const deps = new Set(Object.keys(readJson(path.join(REPO, 'package.json')).dependencies ?? {}));
    const loaded = new Map<string, string>();
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name)) {
          for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:from |require\(|import\()'([^'.][^']*)'/g)) {
            const spec = m[1];
            if (spec.startsWith('node:') || spec === 'vscode') continue;
            loaded.set(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0], path.relative(REPO, file));
          }
        }
      }
    };
    for (const dir of ['src/core', 'src/cli', 'src/vscode']) walk(path.join(REPO, dir));
    assert.ok(loaded.has('openai') && loaded.has('zod'), [...loaded.keys()].join(', '));
    assert.deepEqual([...loaded].filter(([name]) => !deps.has(name)).map(([name, file]) => `${name} (${file})`), []);
  });
});
