import * as vscode from 'vscode';
import type { PonderModule, PonderServices } from '../services';
import { packContext } from '../../core/context/engine';
import type { PackedContext } from '../../core/context/types';

/**
 * The context engine's VS Code side. The window's workspace port (`services.workspace`, made in
 * activate()) keeps the engine's index warm: a repeat request only re-reads what changed.
 * Nothing heavy happens at activation (the index is built on the first request, the tokenizer
 * tables on the first count that misses the cache).
 */
export const contextModule: PonderModule = {
  name: 'context',
  register(services) {
    if (PONDER_TEST_HOOKS && services.testMode) registerProbe(services);
  },
};

interface ProbeArgs {
  query?: string;
  budget?: number;
  /** Absolute path of the active file and its 1-based selection; default: the active editor's. */
  file?: string;
  selection?: [number, number];
}

/**
 * Test-only: packs context for the active editor exactly as a request would (the port, the
 * warm index, the settings), returning the packed items with their text and the time taken.
 */
function registerProbe(services: PonderServices): void {
  services.context.subscriptions.push(vscode.commands.registerCommand('ponder._test.contextProbe', async (args: ProbeArgs = {}): Promise<PackedContext | undefined> => {
    const p = services.workspace;
    if (!p.roots().length) return undefined;
    const editor = vscode.window.activeTextEditor;
    const sel = args.selection ?? (editor && !editor.selection.isEmpty ? ([editor.selection.start.line + 1, editor.selection.end.line + 1] as [number, number]) : undefined);
    const cfg = vscode.workspace.getConfiguration('ponder.context');
    return packContext({
      query: args.query ?? '',
      activeFile: args.file ?? (editor?.document.uri.scheme === 'file' ? editor.document.uri.fsPath : undefined),
      selection: sel,
      budget: args.budget ?? 8000,
      exclude: cfg.get<string[]>('exclude'),
      maxFileSizeKB: cfg.get<number>('maxFileSizeKB'),
      repoMap: cfg.get<boolean>('repoMap'),
      timeLimitMs: cfg.get<number>('timeLimitMs'),
    }, p);
  }));
}
