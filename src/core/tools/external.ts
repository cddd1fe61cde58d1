import { z } from 'zod';
import type { ToolContext, ToolDefinition, ToolOutput } from './types';

/**
 * Tools Ponder did not write: other extensions' and MCP servers' tools in VS Code
 * (`vscode.lm.tools`), and MCP servers' tools in the CLI. They take their owner's JSON schema,
 * count as 'command' tools (never offered read-only or in untrusted workspaces: what they do is
 * unknown), and their output is redacted like any tool output before it reaches the model.
 */
export interface ExternalToolSpec {
  /** The name the model sees (see toolNameFor). */
  name: string;
  description: string;
  inputSchema?: Record<string, unknown>;
  invoke(args: Record<string, unknown>, ctx: ToolContext): Promise<{ ok: boolean; text: string; summary?: string }>;
}

/** OpenAI-style function names: letters, digits, `_` and `-`, at most 64, unique within the request. */
export function toolNameFor(name: string, taken: ReadonlySet<string>): string {
  const base = (name.replace(/[^A-Za-z0-9_-]/g, '_') || 'tool').slice(0, 64);
  let out = base;
  for (let i = 2; taken.has(out); i++) out = `${base.slice(0, 60)}_${i}`;
  return out;
}

/** An object schema as the Chat Completions API wants it (some servers send none or a bare `{}`). */
export function objectSchema(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  const s = { ...(schema ?? {}) };
  delete s.$schema;
  // Function parameters must be an object; a tool without a usable schema takes no arguments.
  if (s.type !== 'object') return { type: 'object', properties: {} };
  return { ...s, properties: s.properties ?? {} };
}

const MAX_SUMMARY = 120;

export function externalTool(spec: ExternalToolSpec): ToolDefinition {
  return {
    name: spec.name,
    description: spec.description || spec.name,
    kind: 'command',
    schema: z.record(z.string(), z.unknown()),
    parameters: objectSchema(spec.inputSchema),
    async run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolOutput> {
      const r = await spec.invoke(args, ctx);
      const text = ctx.deps.redactSecrets(r.text);
      const flat = (r.summary ?? text).replace(/\s+/g, ' ').trim();
      const summary = flat.length > MAX_SUMMARY ? `${flat.slice(0, MAX_SUMMARY - 1)}…` : flat || '(no output)';
      return r.ok ? { ok: true, content: text || '(no output)', summary } : { ok: false, content: `Error: ${text}`, summary, error: flat.slice(0, 200) || 'failed' };
    },
  } as ToolDefinition;
}
