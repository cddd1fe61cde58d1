import { isSecretPath } from '../context/secrets';
import * as fsSync from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/**
 * A bounded walk of a workspace directory for list_files, search_text and the find_symbol
 * fallback: skips VCS and dependency folders, what the root's .gitignore ignores and what the
 * exclude rule (createExcludeRule) withholds, never follows symlinked directories (no loops, no escapes), stops at a file limit
 * or a deadline and says so.
 */
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn', '.vscode-test', '__pycache__', '.venv']);

const ignoreCache = new Map<string, { at: number; ig: Ignore }>();

async function rootIgnore(rootAbs: string): Promise<Ignore> {
  const cached = ignoreCache.get(rootAbs);
  if (cached && Date.now() - cached.at < 2000) return cached.ig;
  const ig = ignore();
  try { ig.add(await fs.readFile(path.join(rootAbs, '.gitignore'), 'utf8')); } catch { /* none */ }
  ignoreCache.set(rootAbs, { at: Date.now(), ig });
  return ig;
}

export interface WalkResult { files: string[]; truncated: boolean; timedOut: boolean }

/** Files under `startAbs` as paths relative to `rootAbs` (posix). */
export async function walkFiles(rootAbs: string, startAbs: string, opts: { maxFiles: number; deadline: number; signal?: AbortSignal; filter?: (rel: string) => boolean; exclude?: (rel: string) => boolean }): Promise<WalkResult> {
  const ig = await rootIgnore(rootAbs);
  const files: string[] = [];
  const queue = [startAbs];
  let truncated = false;
  let timedOut = false;
  while (queue.length > 0) {
    if (opts.signal?.aborted || Date.now() > opts.deadline) { timedOut = true; break; }
    const dir = queue.shift() as string;
    let entries: import('node:fs').Dirent[];
    try { entries = await fs.readdir(dir, { withFileTypes: true }); } catch { continue; }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const rel = path.relative(rootAbs, abs).split(path.sep).join('/');
      if (e.isDirectory()) {
        if (ALWAYS_SKIPPED.has(e.name) || ig.ignores(rel + '/') || opts.exclude?.(rel + '/')) continue;
        queue.push(abs);
      } else if (e.isFile() || e.isSymbolicLink()) {
        if (ig.ignores(rel) || opts.exclude?.(rel)) continue;
        if (e.isSymbolicLink()) {
          // Only links to files inside the workspace count; a linked directory is not walked.
          try {
            const real = await fs.realpath(abs);
            const st = await fs.stat(real);
            const realRoot = await fs.realpath(rootAbs);
            const inside = path.relative(realRoot, real);
            if (!st.isFile() || inside.startsWith('..') || path.isAbsolute(inside)) continue;
            // A harmless name for a secret file (notes.txt -> .env) is as secret as the file.
            if (isSecretPath(inside.split(path.sep).join('/'))) continue;
          } catch { continue; }
        }
        if (opts.filter && !opts.filter(rel)) continue;
        if (files.length >= opts.maxFiles) { truncated = true; break; }
        files.push(rel);
      }
    }
    if (truncated) break;
  }
  return { files, truncated, timedOut };
}

/** A gitignore-syntax glob ("*.ts", "src/**\/*.test.ts") as a predicate over relative paths. */
export function globFilter(glob: string | undefined): ((rel: string) => boolean) | undefined {
  if (!glob || !glob.trim()) return undefined;
  const ig = ignore().add(glob.split(',').map((g) => g.trim()).filter(Boolean));
  return (rel) => ig.ignores(rel);
}

export function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/**
 * `.ponderignore` plus `ponder.context.exclude` (gitignore syntax) per root: what Ponder never
 * sends to a model. Cached per root for two seconds.
 */
export function createExcludeRule(globs: readonly string[] = []): (rootAbs: string, rel: string) => boolean {
  const byRoot = new Map<string, { at: number; ig: Ignore }>();
  return (rootAbs, rel) => {
    let entry = byRoot.get(rootAbs);
    // Re-read now and then: a long-lived rule (the default deps) must see an edited .ponderignore.
    if (!entry || Date.now() - entry.at > 2000) {
      const ig = ignore().add([...globs]);
      try { ig.add(fsSync.readFileSync(path.join(rootAbs, '.ponderignore'), 'utf8')); } catch { /* none */ }
      entry = { at: Date.now(), ig };
      byRoot.set(rootAbs, entry);
    }
    return rel !== '' && rel !== '.' && rel !== './' && entry.ig.ignores(rel);
  };
}
