import * as vscode from 'vscode';
import type { PonderEvent } from '../../core/events';
import { coalesceEvents } from '../../core/protocol/coalesce';
import { describeIssues, WebviewMessageSchema, type HostMessage, type WebviewMessage } from '../../core/protocol/messages';
import type { TraceStore } from '../../core/run/traceStore';
import type { SidebarHeader } from './header';
import { sidebarHtml } from './html';
import { strictWebviewOptions } from '../webviewPage';
import { handleWebviewAction } from './actions';
import { UpdateQueue } from './updateQueue';
import type { PonderVisibility } from '../endpoints/visibility';

export const TRACE_VIEW_ID = 'ponder.trace';

/**
 * The host side of the sidebar. It owns the state (which request is selected, the store's
 * events) and treats the webview as a disposable renderer: after each `ready` it sends a full
 * snapshot, then batched updates. Selection follows the newest request until the user picks
 * an older one.
 */
export class TraceViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private selectedId: string | undefined;
  private follow = true;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly viewDisposables: vscode.Disposable[] = [];
  private readonly queue: UpdateQueue;
  private readonly probes = new Map<string, (result: Record<string, unknown>) => void>();
  private probeSeq = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: TraceStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly testMode: boolean,
    private readonly onFinished: () => void,
    private readonly header: SidebarHeader,
    private readonly visibility: PonderVisibility,
  ) {
    this.queue = new UpdateQueue((u) => this.post({
      type: 'update',
      requests: u.requestIds.map((id) => this.store.get(id)?.summary).filter((s) => s !== undefined),
      selected: this.selectedId,
      events: u.events,
    }));
    this.disposables.push(this.queue, this.store.onChange((c) => this.onStoreChange(c)), header.onDidChange((header) => this.post({ type: 'header', header })));
  }

  get selected(): string | undefined {
    return this.selectedId ?? this.store.list()[0]?.requestId;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.disposeView();
    this.view = view;
    this.ready = false;
    view.webview.options = strictWebviewOptions(this.extensionUri);
    view.webview.html = sidebarHtml(view.webview, this.extensionUri);
    this.viewDisposables.push(
      view.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      // A hidden view loses its page; the reloaded page says `ready` again and gets a snapshot.
      view.onDidChangeVisibility(() => { if (!view.visible) this.ready = false; this.visibility.setSidebarVisible(view.visible); }),
      view.onDidDispose(() => { if (this.view === view) { this.view = undefined; this.ready = false; this.visibility.setSidebarVisible(false); } }),
    );
    // Health polling of vLLM servers runs only while this view is showing (src/vscode/endpoints).
    this.visibility.setSidebarVisible(view.visible);
  }

  /** Shows one request's detail; the newest keeps the view following new requests. */
  select(requestId: string): boolean {
    const record = this.store.get(requestId);
    if (!record) return false;
    this.selectedId = requestId;
    this.follow = this.store.list()[0]?.requestId === requestId;
    this.queue.dropEvents();
    this.post({ type: 'detail', selected: requestId, events: coalesceEvents(record.events) });
    return true;
  }

  /** Test mode: what the webview shows, optionally after clicking the control `click` names. */
  probe(click?: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    if (!this.view || !this.ready) return Promise.reject(new Error('The Ponder sidebar is not showing (no ready webview).'));
    const id = String(++this.probeSeq);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.probes.delete(id); reject(new Error(`The sidebar webview did not answer probe ${id} in ${timeoutMs} ms.`)); }, timeoutMs);
      this.probes.set(id, (r) => { clearTimeout(timer); this.probes.delete(id); resolve(r); });
      this.post({ type: 'probe', id, click });
    });
  }

  get isReady(): boolean {
    return this.ready && this.view !== undefined;
  }

  private onStoreChange(change: { requestId: string; event?: PonderEvent; cleared?: boolean }): void {
    if (change.cleared) {
      this.selectedId = undefined;
      this.follow = true;
      this.queue.reset();
      this.post({ type: 'cleared' });
      return;
    }
    const e = change.event;
    if (!e) return;
    if (e.type === 'request.start' && (this.follow || !this.selectedId)) {
      this.queue.flush();
      this.selectedId = e.requestId;
      this.follow = true;
      this.queue.push(e.requestId);
      this.post({ type: 'detail', selected: e.requestId, events: [e] });
      return;
    }
    const isDelta = e.type === 'reasoning.delta' || e.type === 'content.delta';
    this.queue.push(e.requestId, e.requestId === this.selectedId ? e : undefined, !isDelta);
    if (e.type === 'request.end' || e.type === 'error') this.onFinished();
  }

  private snapshot(): HostMessage {
    const selected = this.selected;
    const record = selected ? this.store.get(selected) : undefined;
    return {
      type: 'snapshot',
      requests: this.store.list(),
      selected,
      events: record ? coalesceEvents(record.events) : [],
      header: this.header.get(),
      testMode: this.testMode || undefined,
    };
  }

  private post(message: HostMessage): void {
    if (!this.view || !this.ready) return;
    void this.view.webview.postMessage(message);
  }

  private onMessage(raw: unknown): void {
    const parsed = WebviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`Ponder sidebar: ignored a malformed message from the webview (${describeIssues(parsed.error)}).`);
      return;
    }
    const m: WebviewMessage = parsed.data;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.queue.reset();
        this.post(this.snapshot());
        return;
      case 'select':
        if (!this.select(m.requestId)) this.log.warn(`Ponder sidebar: request ${m.requestId} is no longer in the history.`);
        return;
      case 'probeResult':
        this.probes.get(m.id)?.(m.result);
        return;
      default:
        void handleWebviewAction(m, { store: this.store, log: this.log, selected: () => this.selected }).catch((err: unknown) => {
          this.log.error(`Ponder sidebar: ${m.type} failed: ${err instanceof Error ? err.message : String(err)}`);
        });
    }
  }

  private disposeView(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
  }

  dispose(): void {
    this.disposeView();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
