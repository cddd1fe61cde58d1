import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { importCycles, importGraph } from './importGraph';

const VSCODE = path.resolve(__dirname, '../../../src/vscode');

describe('the VS Code adapter (src/vscode) is wired from one composition root', () => {
  const graph = importGraph(VSCODE);

  it('has no import circle, type-only imports included', () => {
    assert.ok(graph.size > 50, `expected the adapter's files under ${VSCODE}, found ${graph.size}`);
    assert.deepEqual(importCycles(graph).map((c) => c.join(' -> ')), []);
  });

  it('modules reach each other only through the services activate() builds, never one another', () => {
    const crossing = [...graph].flatMap(([file, targets]) => file.startsWith('modules/')
      ? targets.filter((t) => t.startsWith('modules/') || t === 'modules.ts').map((t) => `${file} -> ${t}`)
      : []);
    assert.deepEqual(crossing, []);
  });

  it('keeps no mutable state at module level: no top-level let/var, no singleton instance, no static field that changes', () => {
    const found = [...graph.keys()].flatMap((rel) => moduleState(rel, fs.readFileSync(path.join(VSCODE, rel), 'utf8')));
    assert.deepEqual(found, []);
    // The check sees each kind it looks for.
    assert.deepEqual(moduleState('x.ts', 'let a = 1;\nexport const s = new Store();\nclass C { static current: C | undefined; static readonly ID = 1; }\nconst KEEP = new Set([1]);\nconst seen = new Map();\nfunction f() { seen.set(1, 2); }'), [
      'x.ts:1 let a', 'x.ts:2 s = new Store()', 'x.ts:3 static current', 'x.ts:5 seen = new Map() (changed in the file)',
    ]);
  });

  it('finds a circle when there is one (the check can fail)', () => {
    const cycles = importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]));
    assert.deepEqual(cycles, [['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });
});

describe('the request pipeline, the caches and token counting keep their state in objects someone owns', () => {
  const CORE = path.resolve(__dirname, '../../../src/core');
  it('src/core/run, src/core/cache and src/core/tokens keep no mutable state at module level, beyond the one token counter', () => {
    const found = ['run', 'cache', 'tokens'].flatMap((dir) => filesUnder(path.join(CORE, dir)))
      .flatMap((file) => moduleState(path.relative(CORE, file), fs.readFileSync(file, 'utf8')));
    // The counter whose piece counts the whole process shares (tokens/index.ts says why).
    assert.deepEqual(found.filter((f) => !/^tokens\/index\.ts:\d+ shared = new TokenCounter\(\)$/.test(f)), []);
    assert.equal(found.length, 1, 'the one token counter is found: the check reads these folders');
  });
});

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? filesUnder(path.join(dir, e.name)) : /\.ts$/.test(e.name) ? [path.join(dir, e.name)] : []);
}

/** Lookup tables built once and never changed are fine: they are constants with a constructor. */
const CONSTANT_CLASSES = new Set(['Set', 'Map', 'WeakMap', 'RegExp', 'TextDecoder', 'TextEncoder']);

function moduleState(rel: string, text: string): string[] {
  const source = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true);
  const at = (node: ts.Node) => `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const found: string[] = [];
  for (const stmt of source.statements) {
    if (ts.isVariableStatement(stmt)) {
      const isConst = (stmt.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const d of stmt.declarationList.declarations) {
        const name = d.name.getText(source);
        if (!isConst) found.push(`${at(d)} ${stmt.declarationList.flags & ts.NodeFlags.Let ? 'let' : 'var'} ${name}`);
        else if (d.initializer && ts.isNewExpression(d.initializer) && !CONSTANT_CLASSES.has(d.initializer.expression.getText(source))) {
          found.push(`${at(d)} ${name} = ${d.initializer.getText(source)}`);
        } else if (d.initializer && ts.isNewExpression(d.initializer) && new RegExp(`\\b${name}\\.(set|add|delete|clear)\\(`).test(text)) {
          // A table the file changes after building it is state, not a constant.
          found.push(`${at(d)} ${name} = ${d.initializer.getText(source)} (changed in the file)`);
        }
      }
    }
    if (ts.isClassDeclaration(stmt)) {
      for (const m of stmt.members) {
        const mods = ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : [];
        const isStatic = mods.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
        const isReadonly = mods.some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword);
        if (isStatic && !isReadonly && ts.isPropertyDeclaration(m)) found.push(`${at(m)} static ${m.name.getText(source)}`);
      }
    }
  }
  return found;
}
