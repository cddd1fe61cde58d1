import * as vscode from 'vscode';
import * as path from 'node:path';
import type { EditOutcome } from '../../core/editor/port';

/**
 * The agent's deletes and renames as WorkspaceEdits, so open editors follow the file (a renamed
 * file's tab moves with it) the way they do when the user does it. The task's checkpoint has
 * recorded the file before core calls these.
 */
export async function deleteWorkspaceFile(absPath: string): Promise<EditOutcome> {
  const edit = new vscode.WorkspaceEdit();
  edit.deleteFile(vscode.Uri.file(absPath), { ignoreIfNotExists: false }, { label: 'Ponder agent: delete file', needsConfirmation: false });
  const ok = await vscode.workspace.applyEdit(edit);
  return ok ? { applied: true, message: `deleted ${path.basename(absPath)}` } : { applied: false, message: `VS Code could not delete ${absPath}` };
}

export async function renameWorkspaceFile(fromAbs: string, toAbs: string): Promise<EditOutcome> {
  await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(toAbs)));
  const edit = new vscode.WorkspaceEdit();
  edit.renameFile(vscode.Uri.file(fromAbs), vscode.Uri.file(toAbs), { overwrite: false }, { label: 'Ponder agent: rename file', needsConfirmation: false });
  const ok = await vscode.workspace.applyEdit(edit);
  return ok ? { applied: true, message: `renamed to ${path.basename(toAbs)}` } : { applied: false, message: `VS Code could not rename ${fromAbs} to ${toAbs} (does the target exist?)` };
}
