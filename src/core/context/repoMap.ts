import { CODE_FILE } from './imports';

/**
 * The shape of the blocks below: the on-disk snapshot keeps them (they depend on the listing and
 * the symbols only, not on the request), so a change to what a block says must change this.
 */
export const MAP_FORMAT = 1;

/** What the map needs of a file (a FileEntry). */
export interface MapFile {
  readonly key: string;
  readonly rel: string;
  readonly withheld?: string;
  readonly symbols?: ReadonlyArray<{ name: string; exported: boolean }>;
}

/**
 * A condensed map of the repository for orientation: folders, their files, and each code
 * file's exported top-level symbols (`blocks`, from repoMapBlocks), cut to fit `maxTokens`
 * (estimated at ~3.3 characters a token; the caller counts the result exactly). Test files are
 * listed by name only.
 */
export function buildRepoMap(blocks: readonly string[], maxTokens: number): string | undefined {
  const maxChars = Math.floor(maxTokens * 3.3);
  if (maxChars < 200) return undefined;
  const out: string[] = [];
  let chars = 0;
  let dropped = 0;
  for (const block of blocks) {
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

/**
 * Each folder's block (its display path, then a line per file), shallow folders first: when
 * space runs out, the deep ones are what is dropped.
 */
export function repoMapBlocks<F extends MapFile>(all: Iterable<F>, display: (f: F) => string): string[] {
  const files: F[] = [];
  for (const f of all) if (!f.withheld) files.push(f);
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byDir = new Map<string, string[]>();
  for (const f of files) {
    // Folder and name by the last slash (listed paths are relative, '/'-separated): path.posix's dirname and basename, without their checks.
    const shown = display(f);
    const cut = shown.lastIndexOf('/');
    const d = cut < 0 ? '.' : shown.slice(0, cut);
    let lines = byDir.get(d);
    if (!lines) byDir.set(d, (lines = []));
    const name = f.rel.slice(f.rel.lastIndexOf('/') + 1);
    const syms = f.symbols?.length && CODE_FILE.test(f.rel) ? f.symbols.filter((s) => s.exported).map((s) => s.name) : [];
    lines.push(syms.length ? `  ${name}: ${syms.slice(0, 12).join(', ')}${syms.length > 12 ? ', …' : ''}` : `  ${name}`);
  }
  const dirs = [...byDir.keys()].map((d) => ({ d, depth: d.split('/').length }));
  dirs.sort((a, b) => a.depth - b.depth || (a.d < b.d ? -1 : a.d > b.d ? 1 : 0));
  return dirs.map(({ d }) => `${d === '.' ? '(root)' : d}/\n${byDir.get(d)!.join('\n')}\n`);
}
