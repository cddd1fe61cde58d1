import * as vscode from 'vscode';
import { PonderEventSchema } from '../../core/events';
import type { PonderServices } from '../services';
import { HISTORY_KEY, restoreHistory, saveHistory } from './persistence';
import { TRACE_VIEW_ID, TraceViewProvider } from './provider';
import { traceToJsonl } from './scrub';

/** Registers the trace view, its commands, and history persistence. */
export function registerSidebar(services: PonderServices): TraceViewProvider {
  const { context, traces, log, settings, testMode } = services;

  traces.setLimit(settings.get('ponder.trace.maxRequests'));
  const { restored, dropped } = restoreHistory(context.workspaceState, traces);
  if (dropped) log.warn(`Ponder sidebar: dropped ${dropped} stored request(s) that no longer match the event model.`);
  if (restored) log.info(`Ponder sidebar: restored ${restored} request(s) from this workspace's history.`);

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const scheduleSave = () => {
    if (saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      saveHistory(context.workspaceState, traces).then(undefined, (err: unknown) => log.error(`Ponder sidebar: could not save the request history: ${String(err)}`));
    }, 500);
  };

  const provider = new TraceViewProvider(context.extensionUri, traces, log, testMode, scheduleSave, services.header, services.visibility);
  context.subscriptions.push(
    provider,
    { dispose: () => { if (saveTimer) clearTimeout(saveTimer); } },
    vscode.window.registerWebviewViewProvider(TRACE_VIEW_ID, provider),
    settings.onDidChange((s) => traces.setLimit(s['ponder.trace.maxRequests'])),
    vscode.commands.registerCommand('ponder.showTrace', async (requestId?: unknown) => {
      await vscode.commands.executeCommand(`${TRACE_VIEW_ID}.focus`);
      if (typeof requestId === 'string' && !provider.select(requestId)) {
        void vscode.window.showWarningMessage(`Ponder: request ${requestId} is not in the trace history (it may have been cleared).`);
      }
    }),
    vscode.commands.registerCommand('ponder.exportTrace', (requestId?: unknown, target?: unknown) => exportTrace(services, provider, requestId, target)),
    vscode.commands.registerCommand('ponder.clearHistory', async () => {
      traces.clear();
      await context.workspaceState.update(HISTORY_KEY, undefined);
    }),
  );

  if (PONDER_TEST_HOOKS && testMode) {
    context.subscriptions.push(
      // Integration suites cannot import the extension bundle: they inject events through this.
      vscode.commands.registerCommand('ponder._test.feedEvents', (events: unknown) => {
        const list = Array.isArray(events) ? events : [events];
        let added = 0;
        for (const raw of list) {
          const parsed = PonderEventSchema.safeParse(raw);
          if (!parsed.success) throw new Error(`ponder._test.feedEvents: event ${added} is not a Ponder event: ${parsed.error.message}`);
          traces.add(parsed.data);
          added++;
        }
        return added;
      }),
      vscode.commands.registerCommand('ponder._test.sidebarProbe', async (click?: unknown) => {
        // Wait for the page's `ready` (first resolve or a reload) before probing.
        for (let i = 0; i < 100 && !provider.isReady; i++) await new Promise((r) => setTimeout(r, 100));
        return provider.probe(typeof click === 'string' ? click : undefined);
      }),
    );
  }
  return provider;
}

async function exportTrace(services: PonderServices, provider: TraceViewProvider, requestId: unknown, target: unknown): Promise<vscode.Uri | undefined> {
  const id = typeof requestId === 'string' ? requestId : provider.selected;
  const record = id ? services.traces.get(id) : undefined;
  if (!record) {
    void vscode.window.showInformationMessage(id ? `Ponder: request ${id} is not in the trace history.` : 'Ponder: there is no request to export yet.');
    return undefined;
  }
  let uri = target instanceof vscode.Uri ? target : typeof target === 'string' ? vscode.Uri.file(target) : undefined;
  if (!uri) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `ponder-trace-${record.summary.requestId.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`;
    uri = await vscode.window.showSaveDialog({
      title: 'Export Ponder trace (JSONL)',
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { 'JSON Lines': ['jsonl'] },
    });
    if (!uri) return undefined;
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(traceToJsonl(record.events)));
  services.log.info(`Ponder sidebar: exported ${record.events.length} events of ${record.summary.requestId} to ${uri.fsPath}.`);
  return uri;
}
