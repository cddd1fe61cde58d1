import type { ContextItem, Withheld } from '../events';
import type { EditorDiagnostic } from '../editor/port';

/**
 * The port the context engine reaches the workspace through. The Node implementation
 * (nodeWorkspace.ts) serves the CLI and unit tests; the VS Code one (src/vscode/workspacePort.ts)
 * answers from workspace.fs, open documents (unsaved text wins) and the diagnostics collection.
 * Paths are absolute file-system paths unless a name says `rel` (posix, relative to a root).
 */
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
}

export interface FileList {
  /** Relative posix paths of files under the root. */
  readonly files: string[];
  /** True when the walk stopped early (maxFiles, abort). */
  readonly truncated: boolean;
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

export interface Disposable {
  dispose(): void;
}

export interface WorkspacePort {
  roots(): readonly WorkspaceRoot[];
  listFiles(root: WorkspaceRoot, opts?: ListOptions): Promise<FileList>;
  /** Text of a file; the editor's unsaved text wins over disk. undefined when missing/unreadable. */
  readFile(path: string): Promise<string | undefined>;
  stat(path: string): Promise<FileStat | undefined>;
  /**
   * The same text, synchronously: a port that has it lets the engine read a file only when a
   * request packs it (the CLI's on-disk index keeps the analyses, not the texts).
   */
  readFileSync?(path: string): string | undefined;
  openEditors?(): Promise<OpenEditor[]>;
  /** Diagnostics of a file, optionally only those touching lines [start, end] (1-based). */
  diagnostics?(path: string, range?: [number, number]): Promise<EditorDiagnostic[]>;
  /** Definitions of the symbol at a 1-based line / 0-based character (language servers). */
  definitions?(path: string, line: number, character: number): Promise<DefinitionLocation[]>;
  /** Called with an absolute path when a file changes, is created or deleted (keeps an index warm). */
  onDidChange?(listener: (path: string) => void): Disposable;
}

export interface ContextRequest {
  /** The user's request text (question, commit subject, command). */
  readonly query: string;
  /** Absolute path, or a path relative to the first root. */
  readonly activeFile?: string;
  /** 1-based inclusive line range in the active file. */
  readonly selection?: [number, number];
  /** Absolute paths of other open editors (the port's openEditors() is used when absent). */
  readonly openFiles?: string[];
  /** Token budget for the packed items (sum of item tokens never exceeds it). */
  readonly budget: number;
  /** Extra exclude globs (gitignore syntax), e.g. `ponder.context.exclude`. */
  readonly exclude?: string[];
  readonly maxFileSizeKB?: number;
  /** Add a condensed repository map when budget allows (default true). */
  readonly repoMap?: boolean;
  /** Time limit for gathering candidates; on expiry the result is marked partial. */
  readonly timeLimitMs?: number;
  readonly signal?: AbortSignal;
}

export type PackedItem = ContextItem & {
  /** The text exactly as it is rendered into the prompt (header included); `tokens` counts it. */
  text: string;
};

export interface PackedContext {
  readonly budget: number;
  /** Sum of item tokens; never above budget. */
  readonly used: number;
  readonly items: PackedItem[];
  readonly withheld: Withheld[];
  /** True when a time limit, abort or file cap cut the search short. */
  readonly partial: boolean;
  readonly ms: number;
}

export interface PackOptions {
  /** Where analyses and token counts are cached across processes; default: the user's cache folder. null: memory only. */
  readonly cacheDir?: string | null;
  /** Run git for the diff and co-change signals (default true). */
  readonly git?: boolean;
}
