import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * The import graph of the TypeScript files under `root`: every relative `import`, `import type`,
 * `export ... from` and `import()` counts (a type-only import still ties two files together for
 * a reader). Keys and values are paths relative to `root`; `folders` (under root) narrows the
 * files read, and only imports between those files are kept.
 */
export function importGraph(root: string, folders: readonly string[] = ['.']): Map<string, string[]> {
  const files = folders.flatMap((f) => walk(path.join(root, f)));
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const base = path.resolve(path.dirname(file), fileName);
      const hit = [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((f) => known.has(f));
      if (hit) targets.push(path.relative(root, hit));
    }
    graph.set(path.relative(root, file), [...new Set(targets)]);
  }
  return graph;
}

/** Each import circle once, as the files along it (first file repeated at the end). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = stack.slice(stack.indexOf(next));
        const key = [...cycle].sort().join('|');
        if (!seen.has(key)) { seen.add(key); cycles.push([...cycle, next]); }
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}
