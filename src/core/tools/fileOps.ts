import type { EditOutcome, ToolHost } from './types';

export { nodeDeleteFile, nodeRenameFile } from '../editor/nodeOps';

/**
 * Deleting and renaming workspace files through the editor port (Node: on disk, see
 * core/editor/nodeOps.ts). Callers have already checked both paths with resolveWorkspacePath and
 * recorded them in the checkpoint.
 */

export function deleteWith(host: ToolHost, absPath: string): Promise<EditOutcome> {
  return host.deleteFile(absPath);
}

export function renameWith(host: ToolHost, fromAbs: string, toAbs: string): Promise<EditOutcome> {
  return host.renameFile(fromAbs, toAbs);
}
