// The cost report page. It renders what the host sends (a snapshot) and asks the host for
// everything else (CSV export, another API price to compare with) by message; `ready` comes first.
import './styles.css';
import { formatUsd } from '../../core/format/money';
import { fmtTokens } from '../../core/cost/breakEven';
import { ReportHostMessageSchema, type BucketView, type ReportPageMessage, type ReportProbe, type ReportSnapshot } from '../../core/cost/reportProtocol';
import { dailyChart } from './chart';
import { h } from './dom';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const send = (m: ReportPageMessage) => vscode.postMessage(m);

function card(label: string, b: BucketView, budget?: number | null): HTMLElement {
  const pct = budget ? Math.min(100, Math.round((b.amount / budget) * 100)) : null;
  const bar = pct === null ? null : h('div', { class: `meter${pct >= 100 ? ' over' : pct >= 80 ? ' near' : ''}`, role: 'meter', 'aria-valuenow': String(pct), 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-label': `${pct}% of the budget` }, h('div', { class: `fill w${Math.round(pct / 5) * 5}` }));
  return h('section', { class: 'card', 'data-label': label },
    h('div', { class: 'card-label' }, label),
    h('div', { class: 'card-value' }, formatUsd(b.amount)),
    budget ? h('div', { class: 'muted' }, `of ${formatUsd(budget)} budget`) : null,
    bar,
    h('div', { class: 'muted' }, `${b.requests} request${b.requests === 1 ? '' : 's'} · ${b.tokens.total < 1e6 ? b.tokens.total.toLocaleString('en-US') : fmtTokens(b.tokens.total)} tokens`),
    b.unpriced ? h('div', { class: 'unpriced' }, `+${b.unpriced} unpriced (price not set)`) : null,
  );
}

/** `numeric`: indices of right-aligned columns (figures line up). */
function table(caption: string, head: string[], rows: Array<Array<string | number>>, cls: string, numeric: number[]): HTMLElement {
  const align = (i: number): Record<string, string> => (numeric.includes(i) ? { class: 'num' } : {});
  return h('div', { class: 'table-wrap' }, h('table', { class: `totals ${cls}` },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...head.map((c, i) => h('th', { scope: 'col', ...align(i) }, c)))),
    h('tbody', {}, ...(rows.length
      ? rows.map((r) => h('tr', {}, ...r.map((c, i) => (i ? h('td', align(i), String(c)) : h('th', { scope: 'row' }, String(c))))))
      : [h('tr', {}, h('td', { colspan: String(head.length), class: 'muted' }, 'No requests this month.'))])),
  ));
}

const SOURCE: Record<string, string> = { provider: 'provider-reported', 'price-table': 'price table', 'gpu-hour': 'GPU-hour', unpriced: 'price not set' };
// All unpriced: no figure at all, never a $0.00 that reads as free.
const costCell = (b: BucketView) => (b.requests > 0 && b.unpriced === b.requests ? 'price not set' : `${formatUsd(b.amount)}${b.unpriced ? ` (+${b.unpriced} unpriced)` : ''}`);

function render(r: ReportSnapshot): void {
  const root = document.getElementById('root');
  if (!root) return;
  const exportButton = h('button', { class: 'button', id: 'export-csv', type: 'button' }, 'Export CSV…');
  exportButton.addEventListener('click', () => send({ type: 'exportCsv' }));
  const refreshButton = h('button', { class: 'button secondary', id: 'refresh', type: 'button' }, 'Refresh');
  refreshButton.addEventListener('click', () => send({ type: 'refresh' }));
  const selfHosted = r.selfHosted.map((sh) => {
    const select = h('select', { 'aria-label': `API prices to compare ${sh.label} with` }, ...sh.apiChoices.map((c) => {
      const o = h('option', { value: c.id }, c.label);
      if (c.id === sh.apiProfile) o.selected = true;
      return o;
    }));
    select.addEventListener('change', () => send({ type: 'compare', endpoint: sh.endpoint, apiProfile: select.value }));
    return h('section', { class: 'selfhosted', 'data-endpoint': sh.endpoint },
      h('h3', {}, sh.label),
      h('p', { class: 'big' }, `${sh.monthTokens.toLocaleString('en-US')} tokens this month`),
      h('p', { class: 'break-even' }, sh.message),
      sh.apiChoices.length ? h('label', {}, 'Compare with ', select) : null,
    );
  });
  const parts: Array<HTMLElement | null> = [
    h('header', { class: 'top' },
      h('h1', {}, 'Ponder spend'),
      h('span', { class: 'muted path', title: r.ledgerPath }, `Ledger: ${r.ledgerPath}`),
      h('span', { class: 'actions' }, refreshButton, exportButton),
    ),
    h('div', { class: 'cards' },
      card('This session', r.session),
      card(`Today (${r.dayKey})`, r.today, r.budget.daily),
      card(`This month (${r.monthKey})`, r.month, r.budget.monthly),
    ),
    h('section', { class: 'chart-box' },
      h('h2', {}, 'Daily spend and tokens'),
      h('span', { class: 'legend' }, h('span', { class: 'swatch usd' }), ' spend (USD, left)  ', h('span', { class: 'swatch tok' }), ' tokens (right)'),
      dailyChart(r.days, r.monthKey, root.clientWidth),
    ),
    h('div', { class: 'tables' },
      table(`By endpoint, ${r.monthKey}`, ['Endpoint', 'Priced by', 'Requests', 'Tokens', 'Cost'],
        r.byEndpoint.map((e) => [e.label, SOURCE[e.source] ?? e.source, e.bucket.requests, e.bucket.tokens.total.toLocaleString('en-US'), costCell(e.bucket)]), 'by-endpoint', [2, 3, 4]),
      table(`By workspace, ${r.monthKey}`, ['Workspace', 'Requests', 'Tokens', 'Cost'],
        r.byWorkspace.map((w) => [w.key, w.bucket.requests, w.bucket.tokens.total.toLocaleString('en-US'), costCell(w.bucket)]), 'by-workspace', [1, 2, 3]),
    ),
    selfHosted.length ? h('section', { class: 'selfhosted-box' }, h('h2', {}, 'Self-hosted: break-even against API prices'), ...selfHosted) : null,
    h('p', { class: 'muted foot' }, `Updated ${new Date(r.generatedAt).toLocaleString()}. Totals cover every window and the CLI runs that write to this ledger.`),
  ];
  root.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}

/** Test mode: what a user would read off the page. */
function probe(): ReportProbe {
  const text = (el: Element | null) => (el?.textContent ?? '').trim();
  return {
    theme: document.body.dataset.vscodeThemeKind ?? document.body.className,
    cards: [...document.querySelectorAll('.card')].map((c) => ({ label: text(c.querySelector('.card-label')), value: text(c.querySelector('.card-value')) })),
    endpoints: [...document.querySelectorAll('.by-endpoint tbody tr')].map((tr) => [...tr.children].map(text).join(' | ')),
    workspaces: [...document.querySelectorAll('.by-workspace tbody tr')].map((tr) => [...tr.children].map(text).join(' | ')),
    chartBars: document.querySelectorAll('svg.chart rect.bar').length,
    chartLabel: document.querySelector('svg.chart')?.getAttribute('aria-label') ?? '',
    breakEven: [...document.querySelectorAll('.break-even')].map(text),
  };
}

let last: ReportSnapshot | undefined;
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (last) render(last); }, 150);
});

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = ReportHostMessageSchema.safeParse(event.data);
  if (!parsed.success) return;
  const msg = parsed.data;
  if (msg.type === 'snapshot') render((last = msg));
  else if (msg.type === 'probe') send({ type: 'probeResult', id: msg.id, probe: probe() });
});
send({ type: 'ready' });
