import * as vscode from 'vscode';
import { formatUsd } from '../../core/cost/pricing';
import { sidebarHeader } from '../sidebar/header';
import { spendState } from '../spend';
import { endpointState } from './state';
import { healthIcon, healthLine } from './present';

/**
 * The status bar item: the endpoint a request would go to, its health, and today's spend.
 * Clicking it opens Select Endpoint. It also pushes the endpoint and health to the sidebar header.
 */
export class EndpointStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ponder.endpoint', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Last text shown, read by the integration test through a test command. */
  lastText = '';

  constructor() {
    this.item.name = 'Ponder Endpoint';
    this.item.command = 'ponder.selectEndpoint';
    this.subscriptions.push(
      endpointState.onDidChange(() => this.update()),
      endpointState.onDidChangeHealth(() => this.update()),
      spendState.onDidChange(() => this.update(false)),
    );
    this.update();
    this.item.show();
  }

  update(pushHeader = true): void {
    let route;
    try { route = endpointState.activeRoute(); } catch {
      this.item.text = '$(server) Ponder: no endpoint';
      this.item.tooltip = 'No endpoint profile: add one to "ponder.endpoints".';
      return;
    }
    const p = route.profile;
    const configured = endpointState.config.configured.includes(p);
    const h = endpointState.health(p.id);
    const polled = p.provider === 'vllm' && configured;
    const spend = spendState.current;
    const parts = [`$(server) ${p.label}${polled ? ` ${healthIcon(h)}` : ''}`];
    if (spend) parts.push(`${formatUsd(spend.today)} today`);
    this.item.text = parts.join(' · ');
    this.lastText = this.item.text;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**Ponder endpoint:** ${p.label} (\`${p.id}\`${p.model ? `, ${p.model}` : ''})\n\n`);
    tip.appendMarkdown(`${route.rule === 'override' ? 'Chosen with Select Endpoint' : `Automatic: ${route.reason}`}\n\n`);
    tip.appendText(healthLine(p, h, configured));
    if (spend) tip.appendMarkdown(`\n\nSpent today: ${formatUsd(spend.today)}${spend.budgetDaily ? ` of ${formatUsd(spend.budgetDaily)}` : ''}`);
    tip.appendMarkdown('\n\nClick to select the endpoint.');
    this.item.tooltip = tip;
    this.item.backgroundColor = polled && h?.state === 'down' ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : polled && h?.state === 'degraded' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (!pushHeader) return;
    const header = sidebarHeader.get().endpoint;
    // The header draws the state as a dot: the detail line carries only what was measured.
    const health = polled ? { state: h?.state ?? 'unknown', detail: h && h.state !== 'unknown' ? h.detail : healthLine(p, h, configured) } as const : undefined;
    const next = { id: p.id, label: p.label, model: p.model ?? '(server default)', health };
    if (JSON.stringify(header) !== JSON.stringify(next)) sidebarHeader.set({ endpoint: next });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
