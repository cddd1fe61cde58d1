import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { WorkspaceRoot } from '../editor/port';

/**
 * Every path a model names goes through here. The model is not trusted with the file system:
 * absolute paths, `..` that leaves the workspace, symlinks whose target lies outside it and
 * secret files are refused, and each refusal says why so the model can correct itself.
 */
export type PathCheck =
  /** `rel`: the path as the model sees it (prefixed by the folder name in a multi-root workspace); `inRoot`: relative to `root`. */
  | { ok: true; abs: string; rel: string; inRoot: string; root: WorkspaceRoot; exists: boolean; isDirectory: boolean }
  | { ok: false; reason: string };

export interface PathOptions {
  isSecretPath?(relPath: string): boolean;
  isExcluded?(rootAbs: string, relPath: string): boolean;
  /** Allow a path that does not exist yet (a new file from propose_edit). */
  allowMissing?: boolean;
}

const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|[\\/]{2})/;

function inside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  try { return await fs.realpath(p); } catch { return undefined; }
}

/** The real location of `abs`, or of its nearest existing ancestor for paths that do not exist yet. */
async function realLocation(abs: string): Promise<{ real: string; exists: boolean }> {
  const direct = await realpathOrUndefined(abs);
  if (direct) return { real: direct, exists: true };
  let dir = path.dirname(abs);
  const tail = [path.basename(abs)];
  for (;;) {
    const real = await realpathOrUndefined(dir);
    if (real) return { real: path.join(real, ...tail.reverse()), exists: false };
    const parent = path.dirname(dir);
    if (parent === dir) return { real: abs, exists: false };
    tail.push(path.basename(dir));
    dir = parent;
  }
}

/** Picks the root: `name/rest` selects a named folder in a multi-root workspace, else the first. */
function pickRoot(roots: readonly WorkspaceRoot[], rel: string): { root: WorkspaceRoot; rest: string } {
  if (roots.length > 1) {
    const [first, ...rest] = rel.split('/');
    const named = roots.find((r) => r.name === first);
    if (named) return { root: named, rest: rest.join('/') || '.' };
  }
  return { root: roots[0], rest: rel };
}

export async function resolveWorkspacePath(roots: readonly WorkspaceRoot[], input: string, options: PathOptions = {}): Promise<PathCheck> {
  if (roots.length === 0) return { ok: false, reason: 'no workspace folder is open, so no file can be read or changed' };
  const raw = input.trim();
  if (!raw) return { ok: false, reason: 'the path is empty: give a path relative to the workspace root, e.g. "src/index.ts"' };
  if (raw.includes('\0')) return { ok: false, reason: 'the path contains a NUL character' };
  if (path.isAbsolute(raw) || WINDOWS_ABSOLUTE.test(raw) || raw.startsWith('~')) {
    return { ok: false, reason: `absolute paths are refused ("${raw}"): give a path relative to the workspace root, e.g. "src/index.ts"` };
  }
  const normalized = path.posix.normalize(raw.replace(/\\/g, '/'));
  if (normalized === '..' || normalized.startsWith('../')) {
    return { ok: false, reason: `"${raw}" leaves the workspace ("..") and is refused: only files inside the workspace can be used` };
  }
  const { root, rest } = pickRoot(roots, normalized);
  const abs = path.resolve(root.path, rest);
  if (!inside(root.path, abs)) {
    return { ok: false, reason: `"${raw}" resolves outside the workspace and is refused` };
  }
  const realRoot = (await realpathOrUndefined(root.path)) ?? root.path;
  const { real, exists } = await realLocation(abs);
  if (!inside(realRoot, real)) {
    return { ok: false, reason: `"${raw}" is a symbolic link (or inside one) that points outside the workspace, and is refused` };
  }
  const inRoot = path.relative(root.path, abs).split(path.sep).join('/') || '.';
  const rel = displayPath(roots, root, inRoot);
  const realRel = path.relative(realRoot, real).split(path.sep).join('/') || '.';
  // Both the name asked for and the file it really is must pass the secret rule (a link named
  // notes.txt pointing at .env is still .env).
  if (options.isSecretPath && inRoot !== '.' && (options.isSecretPath(inRoot) || options.isSecretPath(realRel))) {
    return { ok: false, reason: `"${rel}" is a secret file (keys, credentials, .env): Ponder never reads, searches or edits it` };
  }
  if (!exists && !options.allowMissing) {
    return { ok: false, reason: `"${rel}" does not exist in the workspace; use list_files or search_text to find the right path` };
  }
  let isDirectory = false;
  if (exists) {
    try { isDirectory = (await fs.stat(real)).isDirectory(); } catch { /* raced away: treat as a file */ }
  }
  if (options.isExcluded && inRoot !== '.' && options.isExcluded(root.path, isDirectory ? inRoot + '/' : inRoot)) {
    return { ok: false, reason: `"${rel}" is excluded by .ponderignore or "ponder.context.exclude": Ponder does not send it to the model` };
  }
  return { ok: true, abs, rel, inRoot, root, exists, isDirectory };
}

/** The path rules of a tool call: secrets and exclusions. */
export function pathRules(deps: { isSecretPath(rel: string): boolean; isExcluded?(rootAbs: string, rel: string): boolean }): PathOptions {
  return { isSecretPath: deps.isSecretPath, isExcluded: deps.isExcluded };
}

/** How a root-relative path is shown to the model: with the folder name first when there are several folders. */
export function displayPath(roots: readonly WorkspaceRoot[], root: WorkspaceRoot, inRoot: string): string {
  if (roots.length < 2) return inRoot;
  return inRoot === '.' ? root.name : `${root.name}/${inRoot}`;
}

export type CommandCwd = { ok: true; rel: string; abs: string } | { ok: false; error: string };

/**
 * The working directory of a command a tool runs (chat's and the agent's run_command): a folder
 * inside the workspace, by the same rules as every path (no escape, no secret or excluded path).
 */
export async function resolveCommandCwd(roots: readonly WorkspaceRoot[], cwd: string, deps: Parameters<typeof pathRules>[0]): Promise<CommandCwd> {
  const where = await resolveWorkspacePath(roots, cwd, pathRules(deps));
  if (!where.ok) return { ok: false, error: `working directory refused: ${where.reason}` };
  if (!where.isDirectory) return { ok: false, error: `working directory "${where.rel}" is not a directory` };
  return { ok: true, rel: where.rel, abs: where.abs };
}
