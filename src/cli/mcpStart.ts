import type { CliIo } from './command';
import type { McpSession } from './mcp';
import { loadMcpConfig, McpConfigError } from './mcpConfig';

/**
 * `--mcp` for `ponder ask` and `ponder agent`: reads DIR/.vscode/mcp.json, says on stderr which
 * servers start and which tools each lists, and starts them (the MCP SDK loads only here).
 * Returns undefined after printing the error when mcp.json is unusable (a usage error). The
 * caller closes the session when its request or task ends.
 */
export async function startWorkspaceMcp(
  root: string, io: CliIo, opts: { command: 'ask' | 'agent'; allow: readonly string[]; reserved: ReadonlySet<string> },
): Promise<McpSession | undefined> {
  const label = `ponder ${opts.command}`;
  let config: ReturnType<typeof loadMcpConfig>;
  try {
    config = loadMcpConfig(root, io.env);
  } catch (err) {
    if (err instanceof McpConfigError) { io.err(`${label}: --mcp: ${err.message}\n`); return undefined; }
    throw err;
  }
  for (const w of config.warnings) io.err(`${label}: warning: ${w}\n`);
  if (!config.servers.length) io.err(`${label}: warning: --mcp: no MCP servers in ${config.file}\n`);
  for (const s of config.servers) io.err(`ponder: starting MCP server "${s.name}": ${s.type === 'stdio' ? [s.command, ...s.args].join(' ') : s.url}\n`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the MCP SDK loads only with --mcp (its own file in the build)
  const { startMcp } = require('./mcp') as typeof import('./mcp');
  const mcp = await startMcp(config.servers, { allow: opts.allow, stderr: (t) => io.err(t), reserved: opts.reserved });
  for (const p of mcp.problems) io.err(`${label}: warning: ${p}\n`);
  for (const s of config.servers) {
    const names = mcp.listed.filter((t) => t.server === s.name).map((t) => t.tool);
    if (names.length) io.err(`ponder: MCP server "${s.name}": ${names.length} tool${names.length === 1 ? '' : 's'}: ${names.join(', ')}\n`);
  }
  return mcp;
}
