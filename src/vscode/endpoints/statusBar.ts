import * as vscode from 'vscode';
import { formatUsd } from '../../core/cost/pricing';
import type { PonderServices } from '../services';
import type { FallbackCause } from '../../core/routing';
import { hasHealth, healthIcon, healthLine } from './present';

const SHORT_CAUSE: Record<FallbackCause, string> = { saturated: 'saturated', down: 'down', 'over-budget': 'over budget', 'rate-limit': 'rate-limited' };

/**
 * The status bar item: the endpoint a request would go to, its health, and today's spend.
 * Clicking it opens Select Endpoint. It also pushes the endpoint and health to the sidebar header.
 */
export class EndpointStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('ponder.endpoint', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Last text shown, read by the integration test through a test command. */
  lastText = '';

  constructor(private readonly services: Pick<PonderServices, 'endpoints' | 'spend' | 'header'>) {
    const { endpoints, spend } = services;
    this.item.name = 'Ponder Endpoint';
    this.item.command = 'ponder.selectEndpoint';
    this.subscriptions.push(
      endpoints.onDidChange(() => this.update()),
      endpoints.onDidChangeHealth(() => this.update()),
      spend.onDidChange(() => this.update(false)),
    );
    this.update();
    this.item.show();
  }

  update(pushHeader = true): void {
    const { endpoints, header: sidebarHeader } = this.services;
    let route;
    try { route = endpoints.activeRoute(); } catch {
      this.item.text = '$(server) Ponder: no endpoint';
      this.item.tooltip = 'No endpoint profile: add one to "ponder.endpoints".';
      return;
    }
    const p = route.profile;
    const { configured, profiles } = endpoints.config;
    const h = endpoints.health(p.id);
    const polled = hasHealth(p, h, configured.includes(p));
    // Routed away from the rules' choice because of its health or budget: say from what, and why.
    const from = route.switchedFrom ? profiles.find((x) => x.id === route.switchedFrom!.id) : undefined;
    const fromHealth = from ? endpoints.health(from.id) : undefined;
    const switchLine = from ? `${from.label} ${SHORT_CAUSE[route.switchedFrom!.cause]}${fromHealth?.summary ? ` (${fromHealth.summary})` : ''}: requests go to ${p.label}` : undefined;
    const spend = this.services.spend.current;
    const parts = [`$(server) ${p.label}${polled ? ` ${healthIcon(h)}` : ''}`];
    if (from) parts.push(`$(warning) ${from.label} ${SHORT_CAUSE[route.switchedFrom!.cause]}`);
    if (spend) parts.push(`${formatUsd(spend.today)} today`);
    this.item.text = parts.join(' · ');
    this.lastText = this.item.text;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown('**Ponder endpoint:** ');
    tip.appendText(`${p.label} (${p.id}${p.model ? `, ${p.model}` : ''})\n\n`);
    tip.appendText(`${route.rule === 'override' ? 'Chosen with Select Endpoint' : `Automatic: ${route.reason}`}\n\n`);
    tip.appendText(healthLine(p, h, configured.includes(p)));
    if (spend) tip.appendText(`\n\nSpent today: ${formatUsd(spend.today)}${spend.budgetDaily ? ` of ${formatUsd(spend.budgetDaily)}` : ''}`);
    tip.appendText('\n\nClick to select the endpoint.');
    this.item.tooltip = tip;
    const state = polled ? h?.state : from ? fromHealth?.state ?? 'degraded' : undefined;
    this.item.backgroundColor = state === 'down' ? new vscode.ThemeColor('statusBarItem.errorBackground')
      : state === 'degraded' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (!pushHeader) return;
    const header = sidebarHeader.get().endpoint;
    // The header draws the state as a dot; the detail line carries what was measured, or why the
    // request goes elsewhere than the rules said.
    const health = switchLine
      ? { state: 'degraded', detail: switchLine } as const
      : polled ? { state: h?.state ?? 'unknown', detail: h && h.state !== 'unknown' ? h.detail : healthLine(p, h, true) } as const : undefined;
    const next = { id: p.id, label: p.label, model: p.model ?? 'server default', health };
    if (JSON.stringify(header) !== JSON.stringify(next)) sidebarHeader.set({ endpoint: next });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
