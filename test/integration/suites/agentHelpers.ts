// Helpers shared by the agent suites: scripted model turns, kept screenshots, the quick input.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { config, ui, waitFor } from '../lib';
import { BASE_USAGE, chunk, usageChunk, type Scenario } from '../../fixtures/wire';

/** A screenshot kept in docs/screenshots/ (the README and the issue show them). */
export async function keep(png: string, name: string): Promise<void> {
  const dir = path.join(config().repoRoot, 'docs', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(png, path.join(dir, `${name}.png`));
}

/** One model turn that calls these tools (in order), with a little reasoning first. */
export function turn(name: string, calls: Array<[tool: string, args: unknown]>, reasoning = 'Next step.'): Scenario {
  return {
    name: `agent-${name}`,
    steps: [
      { data: chunk({ role: 'assistant', content: null, reasoning }) },
      ...calls.map(([tool, args], i) => ({ data: chunk({ tool_calls: [{ index: i, id: `call_${name}_${i}`, type: 'function', function: { name: tool, arguments: JSON.stringify(args) } }] }) })),
      { data: chunk({}, 'tool_calls') },
      { data: usageChunk(BASE_USAGE) },
    ],
  };
}

/** The quick input's text once it shows `expect`. */
export const quickInput = (expect: RegExp, message: string) => waitFor(async () => {
  const text = await ui.workbenchEval<string>(`() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; }`);
  return expect.test(text) ? text : '';
}, { timeoutMs: 30_000, message });

/** Every file under `dir` (posix paths relative to it), .git left out. */
export function filesUnder(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.name === '.git') return [];
    return e.isDirectory() ? filesUnder(dir, p) : [p];
  });
}

/** Paths whose bytes differ between two folders, or that only one of them has. */
export function differences(a: string, b: string): string[] {
  const all = [...new Set([...filesUnder(a), ...filesUnder(b)])].sort();
  return all.filter((p) => {
    const x = path.join(a, p);
    const y = path.join(b, p);
    return !fs.existsSync(x) || !fs.existsSync(y) || !fs.readFileSync(x).equals(fs.readFileSync(y));
  });
}
