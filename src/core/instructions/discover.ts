import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { globFilter } from '../tools/walk';

/**
 * Instruction files: what a team wrote down about how its repository wants to be worked on, in
 * the places assistants of the field read it. Found per request from the active file:
 *   1. `.github/copilot-instructions.md`
 *   2. `.github/instructions/*.instructions.md` whose `applyTo` globs match the active file
 *   3. `AGENTS.md` at the root, then each nested one on the path down to the active file
 *   4. `.ponder/instructions.md`
 * Later files are more specific and win where they disagree (the prompt says so).
 */

export type InstructionSource = 'agents' | 'copilot' | 'githubInstructions' | 'ponder';

export interface InstructionFile {
  /** Relative to its root, posix separators. */
  path: string;
  /** Workspace folder name (multi-root). */
  root: string;
  source: InstructionSource;
  /** The text without front matter, trimmed; cut at MAX_CHARS. */
  text: string;
  /** The `applyTo` globs that matched, for the trace. */
  applyTo?: string;
  truncated?: boolean;
}

export interface DiscoverOptions {
  roots: { name: string; path: string }[];
  /** Absolute path of the file the request is about. */
  activeFile?: string;
  /** Sources turned off by the user (`ponder.instructions.*`). */
  enabled?: Partial<Record<InstructionSource, boolean>>;
  /** Paths never read (secrets, `.ponderignore`): relative to the root. */
  isExcluded?(rootAbs: string, rel: string): boolean;
}

/** One file larger than this is cut, and says so: instructions are meant to be short. */
export const MAX_CHARS = 32_000;

async function readText(abs: string): Promise<string | undefined> {
  try {
    const st = await fs.stat(abs);
    if (!st.isFile()) return undefined;
    return await fs.readFile(abs, 'utf8');
  } catch {
    return undefined;
  }
}

/** Splits `---\nkey: value\n---` front matter from the body; only flat `key: value` lines are read. */
export function frontMatter(text: string): { fields: Record<string, string>; body: string } {
  const m = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return { fields: {}, body: text };
  const fields: Record<string, string> = {};
  for (const line of m[1].split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (kv) fields[kv[1]] = kv[2].trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return { fields, body: text.slice(m[0].length) };
}

/** `applyTo: "src/**\/*.ts, **\/*.tsx"` against a path relative to the root. Absent or empty: never automatically. */
export function applies(applyTo: string | undefined, rel: string | undefined): boolean {
  if (!applyTo?.trim()) return false;
  const globs = applyTo.split(',').map((g) => g.trim().replace(/^\.\//, '')).filter(Boolean);
  if (globs.some((g) => g === '**' || g === '**/*' || g === '*')) return true;
  if (!rel) return false;
  return globFilter(globs.join(','))?.(rel) ?? false;
}

function clip(text: string): { text: string; truncated?: boolean } {
  const t = text.trim();
  return t.length > MAX_CHARS ? { text: t.slice(0, MAX_CHARS) + '\n[… cut: the file is longer than Ponder reads]', truncated: true } : { text: t };
}

const posix = (p: string) => p.split(path.sep).join('/');

/** Finds and reads the instruction files for a request; never throws (an unreadable file is skipped). */
export async function discoverInstructions(opts: DiscoverOptions): Promise<InstructionFile[]> {
  const on = (s: InstructionSource) => opts.enabled?.[s] !== false;
  const active = opts.activeFile ? path.resolve(opts.activeFile) : undefined;
  const inRoot = (r: { path: string }) => active && !path.relative(r.path, active).startsWith('..') && !path.isAbsolute(path.relative(r.path, active));
  const root = opts.roots.find(inRoot) ?? opts.roots[0];
  if (!root) return [];
  const rootAbs = path.resolve(root.path);
  const activeRel = active && inRoot(root) ? posix(path.relative(rootAbs, active)) : undefined;
  const out: InstructionFile[] = [];
  const add = async (rel: string, source: InstructionSource, applyTo?: string): Promise<void> => {
    if (opts.isExcluded?.(rootAbs, rel)) return;
    const raw = await readText(path.join(rootAbs, rel));
    if (raw === undefined) return;
    const { body } = frontMatter(raw);
    const c = clip(body);
    if (!c.text) return;
    out.push({ path: rel, root: root.name, source, text: c.text, ...(applyTo ? { applyTo } : {}), ...(c.truncated ? { truncated: true } : {}) });
  };

  if (on('copilot')) await add('.github/copilot-instructions.md', 'copilot');
  if (on('githubInstructions')) {
    let names: string[] = [];
    try { names = (await fs.readdir(path.join(rootAbs, '.github', 'instructions'))).filter((n) => n.endsWith('.instructions.md')).sort(); } catch { /* none */ }
    for (const n of names) {
      const rel = `.github/instructions/${n}`;
      const raw = await readText(path.join(rootAbs, rel));
      if (raw === undefined) continue;
      const applyTo = frontMatter(raw).fields.applyTo;
      if (applies(applyTo, activeRel)) await add(rel, 'githubInstructions', applyTo);
    }
  }
  if (on('agents')) {
    // Root first, then each folder down to the active file's: the nearest is the most specific.
    const dirs = [''];
    if (activeRel) {
      const parts = activeRel.split('/').slice(0, -1);
      for (let i = 1; i <= parts.length; i++) dirs.push(parts.slice(0, i).join('/'));
    }
    for (const d of dirs) await add(d ? `${d}/AGENTS.md` : 'AGENTS.md', 'agents');
  }
  if (on('ponder')) await add('.ponder/instructions.md', 'ponder');
  return out;
}
