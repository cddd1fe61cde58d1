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

export interface WorkspaceRoot {
  /** Folder name shown to the user; prefixes paths in multi-root workspaces. */
  readonly name: string;
  /** Absolute path of the folder. */
  readonly path: string;
}

export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly isFile: boolean;
  readonly isDirectory: boolean;
}

export interface ListOptions {
  /** A directory (rel path, posix) for which this returns true is not descended into. */
  readonly skipDir?: (rel: string) => boolean;
  /** Stop after this many files (the result is then marked truncated). */
  readonly maxFiles?: number;
  readonly signal?: AbortSignal;
  /** Epoch ms after which the walk stops (truncated): a synchronous walk cannot see a timer's abort. */
  readonly deadline?: number;
  /** Walk only these folders (rel, posix) and below: the rest of a walk a time limit stopped. */
  readonly start?: readonly string[];
}

export interface FileList {
  /** Relative posix paths of files under the root. */
  readonly files: string[];
  /** True when the walk stopped early (maxFiles, abort). */
  readonly truncated: boolean;
  /** When a time limit or abort stopped the walk: the folders it had found but not yet walked (a port that can say). */
  readonly pending?: string[];
}

export interface OpenEditor {
  readonly path: string;
  /** 1-based inclusive line range of the selection, if any. */
  readonly selection?: [number, number];
  readonly dirty?: boolean;
}

export interface DefinitionLocation {
  readonly path: string;
  /** 1-based inclusive lines. */
  readonly range: [number, number];
}

export interface SymbolLocation { path: string; line: number; text: string; kind: 'definition' | 'reference' }

/** An edit ready to apply: what the user sees in the approval prompt / diff editor. */
export interface EditProposal {
  path: string; root: string; absPath: string; exists: boolean;
  before: string; after: string; diff: string; added: number; removed: number;
  /** Agent mode: a deletion (`after` is empty) or a rename from `from` (`path` is the new name); absent = a text edit or a new file. */
  operation?: 'delete' | 'rename';
  from?: string;
}
export interface EditOutcome { applied: boolean; message?: string }

export interface CommandRequest { command: string; cwd: string; absCwd: string; timeoutMs: number }
export interface CommandOutcome { exitCode: number | null; output: string; timedOut?: boolean; signal?: string }

export interface Disposable {
  dispose(): void;
}

/**
 * The one port between core and an editor (Continue's `IDE` interface is the model). Implemented
 * once for VS Code (src/vscode/workspacePort.ts) and once for plain Node, the CLI and the tests
 * (core/context/nodeWorkspace.ts). The context engine uses the reading part (`EditorReader`),
 * the tools the whole of it. Optional methods are the ones only an editor has.
 */
export interface EditorPort {
  /** Workspace folders on disk; the first is the default for relative paths. */
  roots(): readonly WorkspaceRoot[];
  /** Workspace trust: when false, write and command tools are never offered nor run. */
  readonly trusted: boolean;
  listFiles(root: WorkspaceRoot, opts?: ListOptions): Promise<FileList>;
  /** Text of a file; the editor's unsaved text wins over disk. undefined when missing/unreadable. */
  readFile(path: string): Promise<string | undefined>;
  stat(path: string): Promise<FileStat | undefined>;
  /**
   * The same text, synchronously: a port that has it lets the engine read a file only when a
   * request packs it (the CLI's on-disk index keeps the analyses, not the texts).
   */
  readFileSync?(path: string): string | undefined;
  /** stat, synchronously: the CLI's on-disk index revalidates thousands of files with it. */
  statSync?(path: string): FileStat | undefined;
  openEditors?(): Promise<OpenEditor[]>;
  /**
   * Problems the editor knows about, with absolute paths: of one file (optionally only those
   * touching lines [start, end], 1-based), or of every file in the workspace.
   */
  diagnostics?(path: string | undefined, range?: [number, number]): Promise<EditorDiagnostic[]>;
  /** Definitions of the symbol at a 1-based line / 0-based character (language servers). */
  definitions?(path: string, line: number, character: number): Promise<DefinitionLocation[]>;
  /** Definitions and references by name from language servers (relative paths); undefined: none answered. */
  findSymbol?(name: string, opts: { kind: 'definitions' | 'references' | 'both'; limit: number; signal?: AbortSignal }): Promise<SymbolLocation[] | undefined>;
  /** Applies an approved edit (VS Code: one WorkspaceEdit = one undo step; Node: writes the file unless it changed since). */
  applyEdit(proposal: EditProposal): Promise<EditOutcome>;
  /** Runs an approved command (VS Code: in a terminal the user sees; Node: a child shell, output captured). */
  runCommand(request: CommandRequest, signal?: AbortSignal): Promise<CommandOutcome>;
  /** Agent mode: deletes a workspace file. */
  deleteFile(absPath: string): Promise<EditOutcome>;
  /** Agent mode: renames/moves a workspace file, creating the target's folders; never replaces an existing file. */
  renameFile(fromAbs: string, toAbs: string): Promise<EditOutcome>;
  /** Called with an absolute path when a file changes, is created or deleted (keeps an index warm). */
  onDidChange?(listener: (path: string) => void): Disposable;
}

/**
 * The reading part of the port, all the context engine uses: files (unsaved text wins), listings,
 * open editors, diagnostics and definitions, and change events that keep its index warm.
 */
export type EditorReader = Pick<EditorPort, 'roots' | 'listFiles' | 'readFile' | 'stat' | 'readFileSync' | 'statSync' | 'openEditors' | 'diagnostics' | 'definitions' | 'onDidChange'>;
