import * as vscode from 'vscode';
import type { WorkspaceRoot } from '../../core/editor/port';

/** The workspace folders on disk (virtual folders have no path the context engine or the tools could use). */
export function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, path: f.uri.fsPath }));
}
