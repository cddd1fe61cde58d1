import type { ContextItem, Withheld } from '../events';

export type { WorkspaceRoot, FileStat, ListOptions, FileList, OpenEditor, DefinitionLocation, Disposable } from '../editor/port';

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
  /**
   * Called once when the call turns out to be heavy: no usable on-disk snapshot (a whole
   * listing), or many files to read. The CLI then lets V8 optimize hot code (see cli/context.ts).
   */
  readonly onHeavyWork?: () => void;
}
