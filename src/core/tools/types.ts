import type { z } from 'zod';
import type { EditorDiagnostic } from '../editor/port';

/**
 * The tool layer's public shapes. The VS Code side implements `ToolHost` (editor-aware reads,
 * symbol providers, diagnostics, a diff editor for edits, a visible terminal for commands) and
 * `ApprovalPort` (the approval prompt); the CLI implements them over Node and a TTY.
 */

/** `ponder.tools.enabled`. */
export type ToolsEnabled = 'none' | 'read' | 'all';
/** read: runs without asking; write and command: ask first, never offered in untrusted workspaces. */
export type ToolKind = 'read' | 'write' | 'command';

/** One call as the model made it: `arguments` is the raw JSON text. */
export interface ToolCall { id: string; name: string; arguments: string }

export interface WorkspaceRoot { name: string; path: string }

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

/**
 * What tools need from the host. Everything but `roots` and `trusted` is optional: a missing
 * method falls back to plain Node (read from disk, text search, write the file, spawn a shell)
 * or, for diagnostics, the tool is not offered.
 */
export interface ToolHost {
  /** Absolute workspace folders; the first is the default for relative paths. */
  roots: WorkspaceRoot[];
  /** Workspace trust: when false, write and command tools are never offered nor run. */
  trusted: boolean;
  /** Text of a file as the editor has it (unsaved changes win); undefined: read from disk. */
  readText?(absPath: string): Promise<string | undefined>;
  /** Definitions and references from language servers; undefined: use the text-search fallback. */
  findSymbol?(name: string, opts: { kind: 'definitions' | 'references' | 'both'; limit: number; signal?: AbortSignal }): Promise<SymbolLocation[] | undefined>;
  /** Problems the editor knows about (all files, or one relative path). */
  getDiagnostics?(path: string | undefined): Promise<EditorDiagnostic[]>;
  /** Applies an approved edit (VS Code: one WorkspaceEdit = one undo step). Default: writes the file. */
  applyEdit?(proposal: EditProposal): Promise<EditOutcome>;
  /** Runs an approved command where the user can see it. Default: a child shell, output captured. */
  runCommand?(request: CommandRequest, signal?: AbortSignal): Promise<CommandOutcome>;
  /** Agent mode: deletes a workspace file (VS Code: a WorkspaceEdit, so open editors follow). Default: removes it from disk. */
  deleteFile?(absPath: string): Promise<EditOutcome>;
  /** Agent mode: renames/moves a workspace file, creating the target's folders. Default: fs.rename. */
  renameFile?(fromAbs: string, toAbs: string): Promise<EditOutcome>;
}

export type ApprovalPreview =
  | { type: 'edit'; proposal: EditProposal }
  | { type: 'command'; command: string; cwd: string; absCwd: string }
  /** A tool of an MCP server (the CLI's --mcp): its server, name and the model's arguments. */
  | { type: 'tool'; server: string; tool: string; arguments: string };

export interface ApprovalRequest {
  requestId: string;
  call: ToolCall;
  tool: string;
  kind: ToolKind;
  preview: ApprovalPreview;
}
export interface ApprovalDecision {
  allow: boolean;
  /** The user chose "allow for this session" for this tool. */
  forSession?: boolean;
  by: 'user' | 'policy' | 'session';
  /** Why, in words: shown in the trace and told to the model on a denial. */
  reason?: string;
}
/** The approval prompt: the VS Code side shows a diff / the command; the CLI asks on the TTY. */
export interface ApprovalPort {
  request(request: ApprovalRequest): Promise<ApprovalDecision>;
}

/** What a tool hands back: `content` goes to the model, `summary` to the trace. */
export interface ToolOutput { ok: boolean; content: string; summary: string; error?: string }

/** Helpers the tools share; injected so core's context engine rules apply to tools too. */
export interface ToolDeps {
  countTokens(text: string): number;
  isSecretPath(relPath: string): boolean;
  redactSecrets(text: string): string;
  /** `.ponderignore` and `ponder.context.exclude`: never sent to the model, by context or by tools. */
  isExcluded?(rootAbs: string, relPath: string): boolean;
}

export interface ToolContext {
  host: ToolHost;
  deps: ToolDeps;
  requestId: string;
  call: ToolCall;
  signal?: AbortSignal;
  /** Asks for approval (policy, session, then the port) and records tool.approval events. */
  approve(kind: ToolKind, preview: ApprovalPreview): Promise<ApprovalDecision>;
}

export interface ToolDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  kind: ToolKind;
  schema: S;
  /** The tool's own JSON schema (tools of MCP servers and other extensions), sent instead of one generated from `schema`. */
  parameters?: Record<string, unknown>;
  /** False when the host lacks what the tool needs (e.g. diagnostics outside an editor). */
  available?(host: ToolHost): boolean;
  run(args: z.infer<S>, ctx: ToolContext): Promise<ToolOutput>;
}

/** Per chat session (or CLI run): tools the user allowed "for this session". */
export class ToolSession {
  readonly allowed = new Set<string>();
  clear(): void { this.allowed.clear(); }
}
