import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { z } from 'zod';
import { describeZodError } from '../core/config/settings';

/**
 * The workspace's `.vscode/mcp.json`, as VS Code reads it: `servers` by name, each a stdio
 * server (`command`, `args`, `env`, `envFile`, `cwd`) or an HTTP one (`type: "http"` or `"sse"`,
 * `url`, `headers`). `${workspaceFolder}` and `${env:NAME}` are replaced; a server that needs an
 * `${input:...}` (VS Code asks for those in a prompt) is skipped with a warning that names it.
 */
const StdioServer = z.object({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
  envFile: z.string().optional(),
  cwd: z.string().optional(),
});
const HttpServer = z.object({
  type: z.enum(['http', 'sse']),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
});
const McpFile = z.object({ servers: z.record(z.string(), z.unknown()).default({}) });

export type McpServerConfig =
  | { name: string; type: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd: string }
  | { name: string; type: 'http' | 'sse'; url: string; headers: Record<string, string> };

export interface McpConfig { file: string; servers: McpServerConfig[]; warnings: string[] }

/** Thrown when the file is there but unusable: `ponder ask` exits with 2 and this message. */
export class McpConfigError extends Error {}

function substitute(value: string, root: string, env: NodeJS.ProcessEnv, missing: Set<string>): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === 'workspaceFolder' || name === 'workspaceRoot') return root;
    if (name === 'workspaceFolderBasename') return path.basename(root);
    if (name === 'pathSeparator' || name === '/') return path.sep;
    if (name === 'userHome') return env.HOME ?? env.USERPROFILE ?? whole;
    if (name.startsWith('env:')) return env[name.slice(4)] ?? '';
    missing.add(name);
    return whole;
  });
}

function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/** Reads `<root>/.vscode/mcp.json` (or `file`). Returns no servers when there is no such file. */
export function loadMcpConfig(root: string, env: NodeJS.ProcessEnv, file = path.join(root, '.vscode', 'mcp.json')): McpConfig {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch { return { file, servers: [], warnings: [] }; }
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length) {
    const line = text.slice(0, errors[0].offset).split('\n').length;
    throw new McpConfigError(`${file}: not valid JSON (${printParseErrorCode(errors[0].error)} at line ${line})`);
  }
  const parsed = McpFile.safeParse(raw);
  if (!parsed.success) throw new McpConfigError(`${file}: ${describeZodError(parsed.error)}`);
  const servers: McpServerConfig[] = [];
  const warnings: string[] = [];
  for (const [name, entry] of Object.entries(parsed.data.servers)) {
    const missing = new Set<string>();
    const sub = (v: string) => substitute(v, root, env, missing);
    const isHttp = typeof entry === 'object' && entry !== null && ['http', 'sse'].includes(String((entry as { type?: unknown }).type));
    const result = isHttp ? HttpServer.safeParse(entry) : StdioServer.safeParse(entry);
    if (!result.success) { warnings.push(`MCP server "${name}" in ${file} is invalid (${describeZodError(result.error)}); skipped.`); continue; }
    let server: McpServerConfig;
    if ('url' in result.data) {
      const h = result.data;
      server = { name, type: h.type, url: sub(h.url), headers: Object.fromEntries(Object.entries(h.headers ?? {}).map(([k, v]) => [k, sub(v)])) };
    } else {
      const s = result.data;
      const cwd = s.cwd ? path.resolve(root, sub(s.cwd)) : root;
      let fileEnv: Record<string, string> = {};
      if (s.envFile) {
        try { fileEnv = readEnvFile(path.resolve(root, sub(s.envFile))); } catch (err) { warnings.push(`MCP server "${name}": cannot read envFile ${s.envFile} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`); }
      }
      const ownEnv = Object.fromEntries(Object.entries(s.env ?? {}).filter(([, v]) => v !== null).map(([k, v]) => [k, sub(String(v))]));
      server = { name, type: 'stdio', command: sub(s.command), args: s.args.map(sub), env: { ...fileEnv, ...ownEnv }, cwd };
    }
    if (missing.size) {
      warnings.push(`MCP server "${name}" needs ${[...missing].map((m) => `\${${m}}`).join(', ')}, which only VS Code can ask for; skipped. Use \${env:NAME} in ${path.basename(file)} to take it from the environment.`);
      continue;
    }
    servers.push(server);
  }
  return { file, servers, warnings };
}

/** `ponder.mcp.autoApprove` entries: `server/tool` or `server/*`. */
export function isAllowListed(patterns: readonly string[], server: string, tool: string): boolean {
  return patterns.some((p) => p === `${server}/${tool}` || p === `${server}/*`);
}
