import * as vscode from 'vscode';
import {
  buildReport, toCsv, ReportPageMessageSchema, type Budget, type Ledger, type ReportProbe, type ReportProfile, type ReportHostMessage,
} from '../../core/cost';
import { costReportHtml, costReportOptions } from './html';

export const COST_REPORT_VIEW_TYPE = 'ponder.costReport';
/** globalState: which API profile each self-hosted endpoint is compared with. */
const COMPARE_KEY = 'ponder.costReport.compare';

export interface CostReportDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  ledger: Ledger;
  sessionId: string;
  profiles(): ReportProfile[];
  budget(): Budget;
  testMode: boolean;
}

/** `Ponder: Show Cost Report`: at most one panel per window, owned by the cost module. */
export class CostReportSlot implements vscode.Disposable {
  private current: CostReportPanel | undefined;

  /** Reveals the open panel (refreshed), or opens one. */
  show(deps: CostReportDeps): CostReportPanel {
    if (this.current) {
      this.current.panel.reveal(undefined, false);
      void this.current.refresh();
      return this.current;
    }
    const panel = vscode.window.createWebviewPanel(COST_REPORT_VIEW_TYPE, 'Ponder Cost Report', vscode.ViewColumn.Active, costReportOptions(deps.context.extensionUri));
    const opened = new CostReportPanel(panel, deps, () => { if (this.current === opened) this.current = undefined; });
    this.current = opened;
    return opened;
  }

  get open(): CostReportPanel | undefined {
    return this.current;
  }

  dispose(): void {
    this.current?.dispose();
  }
}

/**
 * The cost report's panel. The host owns the data: it reads the ledger, builds the snapshot and
 * sends it after the page's `ready`, and again whenever spend changes.
 */
export class CostReportPanel implements vscode.Disposable {
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly probes = new Map<string, (p: ReportProbe) => void>();
  private probeSeq = 0;

  constructor(readonly panel: vscode.WebviewPanel, private readonly deps: CostReportDeps, private readonly onDisposed: () => void) {
    panel.webview.html = costReportHtml(panel.webview, deps.context.extensionUri);
    this.disposables.push(
      // VS Code ignores what a listener returns: a failed action (saving a comparison) is said here.
      panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw).catch((err: unknown) => {
        const text = err instanceof Error ? err.message : String(err);
        deps.log.error(`Ponder cost report: ${text}`);
        void vscode.window.showErrorMessage(`Ponder cost report: ${text}`);
      })),
      // A hidden panel's page is discarded (no retainContextWhenHidden); it says `ready` again when shown.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get isReady(): boolean { return this.ready; }

  /** Re-reads the ledger (only its new tail) and sends the page a fresh snapshot. */
  async refresh(): Promise<void> {
    if (!this.ready) return;
    const { deps } = this;
    try {
      const entries = await deps.ledger.read();
      const snapshot = buildReport(entries, {
        now: Date.now(), sessionId: deps.sessionId, ledgerPath: deps.ledger.file, profiles: deps.profiles(), budget: deps.budget(),
        compare: deps.context.globalState.get<Record<string, string>>(COMPARE_KEY, {}),
      });
      await this.post({ ...snapshot, testMode: deps.testMode || undefined });
    } catch (err) {
      deps.log.error(`Ponder cost report: could not read the ledger: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage(`Ponder: could not read the spend ledger ${deps.ledger.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Writes every ledger row as CSV; asks where unless `target` is given. */
  async exportCsv(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const entries = await this.deps.ledger.read();
    let uri = target;
    if (!uri) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `ponder-costs-${new Date().toISOString().slice(0, 10)}.csv`;
      uri = await vscode.window.showSaveDialog({
        title: 'Export Ponder spend (CSV)', saveLabel: 'Export',
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { CSV: ['csv'] },
      });
      if (!uri) return undefined;
    }
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(toCsv(entries)));
    this.deps.log.info(`Ponder cost report: exported ${entries.length} request(s) to ${uri.fsPath}.`);
    if (!target) void vscode.window.showInformationMessage(`Ponder: exported ${entries.length} request(s) to ${uri.fsPath}.`);
    return uri;
  }

  /** Test mode: what the page shows, as the page reports it. */
  probe(timeoutMs = 5000): Promise<ReportProbe> {
    const id = String(++this.probeSeq);
    return new Promise<ReportProbe>((resolve, reject) => {
      const timer = setTimeout(() => { this.probes.delete(id); reject(new Error('cost report page did not answer the probe')); }, timeoutMs);
      this.probes.set(id, (p) => { clearTimeout(timer); resolve(p); });
      this.post({ type: 'probe', id }).catch((err: unknown) => { clearTimeout(timer); this.probes.delete(id); reject(err instanceof Error ? err : new Error(String(err))); });
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = ReportPageMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.warn(`Ponder cost report: ignored a malformed message from the page (${parsed.error.message}).`);
      return;
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        await this.refresh();
        break;
      case 'refresh':
        await this.refresh();
        break;
      case 'exportCsv':
        await this.exportCsv().catch((err: unknown) => {
          void vscode.window.showErrorMessage(`Ponder: CSV export failed: ${err instanceof Error ? err.message : String(err)}`);
        });
        break;
      case 'compare': {
        const compare = { ...this.deps.context.globalState.get<Record<string, string>>(COMPARE_KEY, {}), [msg.endpoint]: msg.apiProfile };
        await this.deps.context.globalState.update(COMPARE_KEY, compare);
        await this.refresh();
        break;
      }
      case 'probeResult':
        this.probes.get(msg.id)?.(msg.probe);
        this.probes.delete(msg.id);
        break;
    }
  }

  private async post(message: ReportHostMessage): Promise<void> {
    await this.panel.webview.postMessage(message);
  }

  private disposed = false;
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.onDisposed();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
