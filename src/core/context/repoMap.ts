import path from 'node:path';
import type { WorkspaceIndex } from './workspaceIndex';
import { CODE_FILE } from './imports';

/**
 * A condensed map of the repository for orientation: folders, their files, and each code
 * file's exported top-level symbols, cut to fit `maxTokens` (estimated at ~3.3 characters a
 * token; the caller counts the result exactly). Test files are listed by name only.
 */
export function buildRepoMap(index: WorkspaceIndex, maxTokens: number): string | undefined {
  const maxChars = Math.floor(maxTokens * 3.3);
  if (maxChars < 200) return undefined;
  const byDir = new Map<string, string[]>();
  const files = [...index.files.values()].filter((f) => !f.withheld).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const f of files) {
    const d = path.posix.dirname(index.display(f));
    let lines = byDir.get(d);
    if (!lines) byDir.set(d, (lines = []));
    const syms = CODE_FILE.test(f.rel) ? (f.symbols ?? []).filter((s) => s.exported).map((s) => s.name) : [];
    const name = path.posix.basename(f.rel);
    lines.push(syms.length ? `  ${name}: ${syms.slice(0, 12).join(', ')}${syms.length > 12 ? ', …' : ''}` : `  ${name}`);
  }
  // Shallow folders first: when space runs out, the deep ones are what is dropped.
  const dirs = [...byDir.keys()].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  let chars = 0;
  let dropped = 0;
  for (const d of dirs) {
    const block = `${d === '.' ? '(root)' : d}/\n${byDir.get(d)!.join('\n')}\n`;
    if (chars + block.length > maxChars) {
      dropped++;
      continue;
    }
    out.push(block);
    chars += block.length;
  }
  if (out.length === 0) return undefined;
  if (dropped) out.push(`(${dropped} more folders not shown)\n`);
  return out.join('');
}
