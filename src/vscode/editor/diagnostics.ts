import * as vscode from 'vscode';
import type { DiagnosticSeverity, EditorDiagnostic } from '../../core/editor/port';

const SEVERITY: Record<vscode.DiagnosticSeverity, DiagnosticSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** One entry of VS Code's Problems list as core sees it; `path` is what the caller names the file by. */
export function toEditorDiagnostic(path: string, d: vscode.Diagnostic): EditorDiagnostic {
  return {
    path, line: d.range.start.line + 1, endLine: d.range.end.line + 1, column: d.range.start.character + 1,
    severity: SEVERITY[d.severity] ?? 'info', message: d.message, ...(d.source ? { source: d.source } : {}),
  };
}
