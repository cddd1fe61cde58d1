import path from 'node:path';
import { packContext } from '../../src/core/context/engine';
import { NodeWorkspace } from '../../src/core/context/nodeWorkspace';
import type { Disposable } from '../../src/core/context/types';

/**
 * The extension's case: a port that reports file changes, so the engine keeps its index warm
 * across requests. Measures a repeat request, and one after an unsaved edit of the active file.
 */
class WatchedWorkspace extends NodeWorkspace {
  private readonly listeners = new Set<(p: string) => void>();
  onDidChange(l: (p: string) => void): Disposable {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }
  fire(p: string): void {
    for (const l of this.listeners) l(p);
  }
}

export interface Task {
  file: string;
  selection: [number, number];
  query: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function warmRepeat(root: string, task: Task, budgets: number[], repeats: number): Promise<Record<string, { first: number; repeat: number; afterEdit: number }>> {
  const out: Record<string, { first: number; repeat: number; afterEdit: number }> = {};
  for (const budget of budgets) {
    const port = new WatchedWorkspace([root]);
    const req = { query: task.query, activeFile: path.join(root, task.file), selection: task.selection, budget };
    let t = performance.now();
    await packContext(req, port, { git: false, cacheDir: null });
    const first = performance.now() - t;
    const repeat: number[] = [];
    const afterEdit: number[] = [];
    for (let i = 0; i < repeats; i++) {
      t = performance.now();
      await packContext(req, port, { git: false, cacheDir: null });
      repeat.push(performance.now() - t);
      port.setOverlay(req.activeFile, `// unsaved edit ${i}\n` + (await port.readFile(req.activeFile)));
      port.fire(req.activeFile);
      t = performance.now();
      await packContext(req, port, { git: false, cacheDir: null });
      afterEdit.push(performance.now() - t);
      port.setOverlay(req.activeFile, undefined);
      port.fire(req.activeFile);
      await packContext(req, port, { git: false, cacheDir: null });
    }
    out[budget] = { first, repeat: median(repeat), afterEdit: median(afterEdit) };
  }
  return out;
}
