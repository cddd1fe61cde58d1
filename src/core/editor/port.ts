/**
 * What core needs from an editor, said once: the context engine and the tools both reach the
 * workspace through these shapes. Paths are absolute file-system paths unless a name says `rel`.
 */

export type DiagnosticSeverity = 'error' | 'warning' | 'info' | 'hint';

/** A problem the editor reports (compiler, linter): the Problems list, one entry. */
export interface EditorDiagnostic {
  /** The file: absolute for the context engine, relative to its workspace folder in tool output. */
  readonly path: string;
  /** 1-based line of the start, and of the end when it spans several. */
  readonly line: number;
  readonly endLine?: number;
  /** 1-based column of the start. */
  readonly column?: number;
  readonly severity: DiagnosticSeverity;
  readonly message: string;
  readonly source?: string;
}
