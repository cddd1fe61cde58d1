import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { importCycles, importGraph } from './importGraph';

const REPO = path.resolve(__dirname, '../../..');

/** The folder of a file under src, two levels deep: core/model, cli, vscode/chat, ... */
const areaOf = (rel: string) => rel.split('/').slice(0, rel.startsWith('src/core/') ? 3 : 2).slice(1).join('/');

describe('layers (docs/architecture.md)', () => {
  const graph = importGraph(REPO, ['src', 'test/unit']);

  it('src/core and src/cli have no import circle, type-only imports included', () => {
    const within = new Map([...graph].filter(([f]) => f.startsWith('src/core/') || f.startsWith('src/cli/')));
    assert.ok(within.size > 100, `expected core's and cli's files, found ${within.size}`);
    assert.deepEqual(importCycles(within).map((c) => c.join(' -> ')), []);
  });

  it('no two folders of core import each other (config sits below model, tokens and cache below context)', () => {
    const arrows = new Set<string>();
    for (const [file, targets] of graph) {
      if (!file.startsWith('src/core/')) continue;
      for (const t of targets) if (t.startsWith('src/core/') && areaOf(t) !== areaOf(file)) arrows.add(`${areaOf(file)} -> ${areaOf(t)}`);
    }
    const mutual = [...arrows].filter((a) => a < a.split(' -> ').reverse().join(' -> ') && arrows.has(a.split(' -> ').reverse().join(' -> ')));
    assert.deepEqual(mutual, []);
    assert.deepEqual([...arrows].filter((a) => a.startsWith('core/config ->')), [], 'config imports no other part of core');
    assert.deepEqual([...arrows].filter((a) => /^core\/(tokens|cache) -> core\/(context|run|tools|model)$/.test(a)), []);
  });

  it('every src/vscode file the unit tests load is in the lint rule that keeps it free of vscode (eslint.config.mjs)', async () => {
    const loaded = new Set<string>();
    const visit = (f: string): void => {
      if (loaded.has(f)) return;
      loaded.add(f);
      for (const t of graph.get(f) ?? []) visit(t);
    };
    for (const f of graph.keys()) if (f.startsWith('test/unit/')) visit(f);
    const reached = [...loaded].filter((f) => f.startsWith('src/vscode/')).sort();
    assert.ok(reached.length > 3, 'the unit tests load some src/vscode files');
    const { PLAIN_NODE_VSCODE_FILES } = (await import(path.join(REPO, 'eslint.config.mjs'))) as { PLAIN_NODE_VSCODE_FILES: string[] };
    assert.deepEqual(reached, [...PLAIN_NODE_VSCODE_FILES].sort());
  });
});
