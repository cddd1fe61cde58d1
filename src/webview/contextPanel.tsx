import type { RequestView } from '../core/protocol/requestView';
import { post } from './api';
import { rangeLabel, tokens } from './format';
import { Icon } from './icons';

/** The packed context: each item (click opens it at its range), the budget bar, what was withheld. */
export function ContextPanel({ view }: { view: RequestView }) {
  const c = view.context;
  if (!c) return null;
  const scale = Math.max(c.window ?? 0, c.budget, c.used, 1);
  const pct = (n: number) => `${Math.min(100, (n / scale) * 100).toFixed(2)}%`;
  return (
    <details class="section" open>
      <summary><h3>Context <span class="muted">({c.items.length} items, {tokens(c.used)} tokens{c.partial ? ', partial' : ''})</span></h3></summary>
      <div class="budget" role="img" aria-label={`Context used ${tokens(c.used)} of budget ${tokens(c.budget)}${c.window ? ` in a ${tokens(c.window)}-token window` : ''}`}>
        <div class="budget-bar">
          <div class="budget-budget" style={{ width: pct(c.budget) }} />
          <div class={`budget-used${c.used > c.budget ? ' over' : ''}`} style={{ width: pct(c.used) }} />
        </div>
        <div class="budget-legend muted">
          <span>used {tokens(c.used)}</span><span>budget {tokens(c.budget)}</span><span>window {c.window ? tokens(c.window) : '—'}</span>
        </div>
      </div>
      <ul class="context-items">
        {c.items.map((item, i) => (
          <li key={`${item.path}-${i}`} class="context-item">
            <button
              class="link-button path"
              data-action="open-file"
              title={`Open ${item.path} at ${rangeLabel(item.ranges)}`}
              onClick={() => post({ type: 'openFile', path: item.path, root: item.root, range: item.ranges?.[0] })}
            >
              <Icon name="file" /> {item.path} <span class="muted">{rangeLabel(item.ranges)}</span>
            </button>
            <span class="ctx-tokens">{tokens(item.tokens)}</span>
            <span class="ctx-reason muted">{item.kind ? <span class="badge">{item.kind}</span> : null}{item.reason}</span>
          </li>
        ))}
      </ul>
      {c.withheld.length ? (
        <details class="withheld">
          <summary>Withheld ({c.withheld.length})</summary>
          <ul>{c.withheld.map((w, i) => <li key={i}><code>{w.path}</code> <span class="muted">{w.reason}</span></li>)}</ul>
        </details>
      ) : null}
    </details>
  );
}
