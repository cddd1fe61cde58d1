import { proposeEditTool, runCommandTool } from './changeTools';
import { findSymbolTool, getDiagnosticsTool, gitDiffTool } from './codeTools';
import { listFilesTool, readFileTool, searchTextTool } from './readTools';
import type { ToolDefinition, ToolsEnabled } from './types';
import type { EditorPort } from '../editor/port';

/** Every tool Ponder has, read-only first. */
export const ALL_TOOLS: ToolDefinition[] = [
  readFileTool, listFilesTool, searchTextTool, findSymbolTool, getDiagnosticsTool, gitDiffTool,
  proposeEditTool, runCommandTool,
] as ToolDefinition[];

/**
 * The tools offered to the model: none for `none`; read-only for `read` and in untrusted
 * workspaces (write and command tools are then not offered at all, so the model cannot even ask);
 * everything the host can serve for `all`.
 */
export function selectTools(enabled: ToolsEnabled, host: EditorPort, all: ToolDefinition[] = ALL_TOOLS): ToolDefinition[] {
  if (enabled === 'none' || host.roots().length === 0) return [];
  const readOnly = enabled === 'read' || !host.trusted;
  return all.filter((t) => (!readOnly || t.kind === 'read') && (t.available ? t.available(host) : true));
}
