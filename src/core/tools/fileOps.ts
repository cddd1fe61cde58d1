import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { EditOutcome, ToolHost } from './types';

/**
 * Deleting and renaming workspace files, through the host when it has its own way (VS Code: a
 * WorkspaceEdit, so open editors follow) and on disk otherwise (CLI, tests). Callers have
 * already checked both paths with resolveWorkspacePath and recorded them in the checkpoint.
 */

export async function nodeDeleteFile(absPath: string): Promise<EditOutcome> {
  try {
    await fs.rm(absPath);
    return { applied: true };
  } catch (e) {
    return { applied: false, message: `could not delete it (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}

export async function nodeRenameFile(fromAbs: string, toAbs: string): Promise<EditOutcome> {
  try {
    // Never replace a file silently: the caller decides about an existing target.
    if (await fs.lstat(toAbs).then(() => true, () => false)) return { applied: false, message: 'the target already exists' };
    await fs.mkdir(path.dirname(toAbs), { recursive: true });
    await fs.rename(fromAbs, toAbs);
    return { applied: true };
  } catch (e) {
    return { applied: false, message: `could not rename it (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}

export function deleteWith(host: ToolHost, absPath: string): Promise<EditOutcome> {
  return host.deleteFile ? host.deleteFile(absPath) : nodeDeleteFile(absPath);
}

export function renameWith(host: ToolHost, fromAbs: string, toAbs: string): Promise<EditOutcome> {
  return host.renameFile ? host.renameFile(fromAbs, toAbs) : nodeRenameFile(fromAbs, toAbs);
}
