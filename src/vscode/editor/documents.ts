import * as vscode from 'vscode';
import * as path from 'node:path';

/**
 * The open document for an absolute path (or an untitled one named by it), if any. Its text is
 * what the user sees: unsaved changes win over the disk for the context engine and the tools alike.
 */
export function openDocument(file: string): vscode.TextDocument | undefined {
  const norm = path.resolve(file);
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === norm) ??
    vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'untitled' && d.uri.path === file);
}
