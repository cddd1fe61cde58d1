import * as vscode from 'vscode';
import * as path from 'node:path';
import type { SymbolLocation, WorkspaceRoot } from '../../core/editor/port';

/**
 * The editor port's symbol search over VS Code's language features: definitions and references
 * from the language servers the user has installed. When no provider answers, `findSymbol`
 * returns undefined and core falls back to text search.
 */

function relativeTo(roots: readonly WorkspaceRoot[], fsPath: string): string | undefined {
  for (const r of roots) {
    const rel = path.relative(r.path, fsPath);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return undefined;
}

async function lineText(uri: vscode.Uri, line: number): Promise<string> {
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    return line < doc.lineCount ? doc.lineAt(line).text.trim() : '';
  } catch {
    return '';
  }
}

function toLocation(value: vscode.Location | vscode.LocationLink): vscode.Location {
  return 'targetUri' in value ? new vscode.Location(value.targetUri, value.targetSelectionRange ?? value.targetRange) : value;
}

export async function findSymbolWithProviders(
  roots: readonly WorkspaceRoot[], name: string, opts: { kind: 'definitions' | 'references' | 'both'; limit: number; signal?: AbortSignal },
): Promise<SymbolLocation[] | undefined> {
  const symbols = (await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', name)) ?? [];
  const exact = symbols.filter((s) => s.name === name || s.name.endsWith(`.${name}`));
  if (!exact.length) return undefined;
  const out: SymbolLocation[] = [];
  const seen = new Set<string>();
  const push = async (loc: vscode.Location, kind: SymbolLocation['kind']): Promise<void> => {
    const rel = relativeTo(roots, loc.uri.fsPath);
    if (!rel || out.length >= opts.limit) return;
    const key = `${rel}:${loc.range.start.line}:${kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ path: rel, line: loc.range.start.line + 1, text: await lineText(loc.uri, loc.range.start.line), kind });
  };
  for (const s of exact) {
    if (opts.signal?.aborted) break;
    // Ask the definition provider at the symbol so re-exports and declarations resolve to the real definition.
    const defs = (await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', s.location.uri, s.location.range.start)) ?? [];
    const definitions = defs.length ? defs.map(toLocation) : [s.location];
    if (opts.kind !== 'references') for (const d of definitions) await push(d, 'definition');
    if (opts.kind !== 'definitions') {
      const refs = (await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', s.location.uri, s.location.range.start)) ?? [];
      for (const r of refs) await push(r, 'reference');
    }
  }
  return out;
}
