import type { z } from 'zod';
import type { EditorPort, EditProposal } from '../editor/port';

/**
 * The tool layer's public shapes. Tools reach the workspace through the editor port
 * (core/editor/port.ts: editor-aware reads, symbol providers, diagnostics, a diff editor for
 * edits, a visible terminal for commands); the approval prompt is `ApprovalPort`. VS Code and
 * the CLI (Node, a TTY) implement both.
 */

/** `ponder.tools.enabled`. */
export type ToolsEnabled = 'none' | 'read' | 'all';
/** read: runs without asking; write and command: ask first, never offered in untrusted workspaces. */
export type ToolKind = 'read' | 'write' | 'command';

/** One call as the model made it: `arguments` is the raw JSON text. */
export interface ToolCall { id: string; name: string; arguments: string }

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
  /** The user chose "allow for this session": this exact command, or this tool (approval.ts sessionKey). */
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
  host: EditorPort;
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
  available?(host: EditorPort): boolean;
  run(args: z.infer<S>, ctx: ToolContext): Promise<ToolOutput>;
}

/** Per chat session (or CLI run): tools the user allowed "for this session". */
/** What the user allowed "for this session": keys from sessionKey (approval.ts), one exact command or one tool. */
export class ToolSession {
  readonly allowed = new Set<string>();
  clear(): void { this.allowed.clear(); }
}
