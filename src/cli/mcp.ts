import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { externalTool, toolNameFor } from '../core/tools/external';
import type { ToolDefinition } from '../core/tools/types';
import { isAllowListed, type McpServerConfig } from './mcpConfig';

/**
 * `ponder ask --mcp`: starts the MCP servers of the workspace's `.vscode/mcp.json` through the
 * official MCP TypeScript SDK, lists their tools and offers them to the model as
 * `<server>_<tool>`. Each call asks on the terminal unless `ponder.mcp.autoApprove` names it
 * (without a terminal: denied). Servers that fail to start are reported and left out.
 */

export interface McpTool { server: string; tool: string; name: string; description: string; inputSchema?: Record<string, unknown> }

export interface McpSession {
  tools: ToolDefinition[];
  /** Model-facing names that run without asking (ponder.mcp.autoApprove). */
  allowListed: string[];
  listed: McpTool[];
  problems: string[];
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 20_000;
const CALL_TIMEOUT_MS = 120_000;

function transportFor(s: McpServerConfig, stderr: (t: string) => void): Transport {
  if (s.type === 'stdio') {
    // The SDK's safe default environment (PATH, HOME, …), not every secret the shell holds, plus the server's own.
    const t = new StdioClientTransport({ command: s.command, args: s.args, env: { ...getDefaultEnvironment(), ...s.env }, cwd: s.cwd, stderr: 'pipe' });
    t.stderr?.on('data', (d: Buffer) => stderr(`[mcp ${s.name}] ${d.toString('utf8')}`));
    return t;
  }
  const init = { headers: s.headers };
  return s.type === 'sse' ? new SSEClientTransport(new URL(s.url), { requestInit: init }) : new StreamableHTTPClientTransport(new URL(s.url), { requestInit: init });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms); })])
    .finally(() => clearTimeout(timer));
}

/** MCP content blocks as text for the model: text as is, others described (images are not sent). */
export function contentText(content: unknown): string {
  if (!Array.isArray(content)) return JSON.stringify(content ?? '');
  return content.map((c: { type?: string; text?: string; resource?: { uri?: string; text?: string }; mimeType?: string }) => {
    if (c?.type === 'text') return c.text ?? '';
    if (c?.type === 'resource') return c.resource?.text ?? `(resource ${c.resource?.uri ?? ''})`;
    if (c?.type === 'resource_link') return `(resource link ${(c as { uri?: string }).uri ?? ''})`;
    return `(${c?.type ?? 'unknown'} content${c?.mimeType ? `, ${c.mimeType}` : ''}, not shown)`;
  }).join('\n');
}

export async function startMcp(servers: McpServerConfig[], opts: { allow: readonly string[]; stderr: (t: string) => void; reserved: ReadonlySet<string> }): Promise<McpSession> {
  const clients: Client[] = [];
  const listed: McpTool[] = [];
  const problems: string[] = [];
  const tools: ToolDefinition[] = [];
  const allowListed: string[] = [];
  const taken = new Set(opts.reserved);
  const started = await Promise.all(servers.map(async (s) => {
    const client = new Client({ name: 'ponder', version: '0.1.0' });
    try {
      await withTimeout(client.connect(transportFor(s, opts.stderr)), CONNECT_TIMEOUT_MS, `starting MCP server "${s.name}"`);
      const all: Awaited<ReturnType<Client['listTools']>>['tools'] = [];
      let cursor: string | undefined;
      do {
        const page = await withTimeout(client.listTools(cursor ? { cursor } : undefined), CONNECT_TIMEOUT_MS, `listing the tools of "${s.name}"`);
        all.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
      return { s, client, tools: all };
    } catch (err) {
      problems.push(`MCP server "${s.name}" (${s.type === 'stdio' ? [s.command, ...s.args].join(' ') : s.url}) could not be used: ${err instanceof Error ? err.message : String(err)}`);
      await client.close().catch(() => undefined);
      return undefined;
    }
  }));
  for (const entry of started) {
    if (!entry) continue;
    const { s, client } = entry;
    clients.push(client);
    for (const t of entry.tools) {
      const name = toolNameFor(`${s.name}_${t.name}`, taken);
      taken.add(name);
      const info: McpTool = { server: s.name, tool: t.name, name, description: t.description ?? '', inputSchema: t.inputSchema as Record<string, unknown> };
      listed.push(info);
      if (isAllowListed(opts.allow, s.name, t.name)) allowListed.push(name);
      tools.push(externalTool({
        name, description: `${t.description ?? t.name} (MCP server "${s.name}")`, inputSchema: info.inputSchema,
        async invoke(args, ctx) {
          const decision = await ctx.approve('command', { type: 'tool', server: s.name, tool: t.name, arguments: JSON.stringify(args) });
          if (!decision.allow) return { ok: false, text: `The user did not allow ${t.name} of "${s.name}"${decision.reason ? ` (${decision.reason})` : ''}. Do not call it again; continue without it.`, summary: 'not allowed' };
          try {
            const r = await client.callTool({ name: t.name, arguments: args }, undefined, { signal: ctx.signal, timeout: CALL_TIMEOUT_MS });
            const text = 'content' in r ? contentText(r.content) : JSON.stringify(r.toolResult ?? r);
            return { ok: !r.isError, text };
          } catch (err) {
            return { ok: false, text: `${t.name} of "${s.name}" failed: ${err instanceof Error ? err.message : String(err)}` };
          }
        },
      }));
    }
  }
  return {
    tools, allowListed, listed, problems,
    close: async () => { await Promise.all(clients.map((c) => c.close().catch(() => undefined))); },
  };
}
