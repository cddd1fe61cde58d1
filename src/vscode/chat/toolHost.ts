import * as vscode from 'vscode';
import type { ToolHost, WorkspaceRoot } from '../../core/tools/types';
import { runInTerminal } from './commandTerminal';
import { applyProposal } from './editProposals';
import { unsavedText } from '../editor/documents';
import { diagnosticsFromEditor, findSymbolWithProviders } from './languageTools';

/** The workspace folders on disk (virtual folders have no path the tools could use). */
export function workspaceRoots(): WorkspaceRoot[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, path: f.uri.fsPath }));
}

/**
 * The tools' view of VS Code: open editors' unsaved text, language servers' definitions and
 * references, the Problems list, edits applied as one undo step, commands in a visible terminal.
 * Trust is read now: an untrusted workspace gets no write or command tools from core.
 */
export function createToolHost(): ToolHost {
  const roots = workspaceRoots();
  return {
    roots,
    trusted: vscode.workspace.isTrusted,
    readText: async (absPath) => unsavedText(absPath),
    findSymbol: (name, opts) => findSymbolWithProviders(roots, name, opts),
    getDiagnostics: (path) => diagnosticsFromEditor(roots, path),
    applyEdit: (proposal) => applyProposal(proposal),
    runCommand: (request, signal) => runInTerminal(request, signal),
  };
}
