import type { RequestView } from '../core/protocol/requestView';
import { COST_SOURCES, tokens, usd } from './format';

/** Token usage and cost, with the cost's source and breakdown. */
export function UsageCost({ view }: { view: RequestView }) {
  const u = view.usage;
  const c = view.cost;
  if (!u && !c) return null;
  return (
    <details class="section" open>
      <summary><h3>Usage and cost</h3></summary>
      {u ? (
        <table class="kv" aria-label="Token usage">
          <tbody>
            <tr><th scope="row">Prompt</th><td>{tokens(u.prompt)}</td></tr>
            <tr><th scope="row">Cached</th><td>{tokens(u.cached)}</td></tr>
            <tr><th scope="row">Completion</th><td>{tokens(u.completion)}</td></tr>
            <tr><th scope="row">Reasoning</th><td>{tokens(u.reasoning)}</td></tr>
            {u.cacheWrite ? <tr><th scope="row">Cache write</th><td>{tokens(u.cacheWrite)}</td></tr> : null}
          </tbody>
        </table>
      ) : null}
      {c ? (
        <div class="cost">
          <p><strong class="cost-amount">{c.amount === null ? '—' : usd(c.amount)}</strong> <span class="muted">{COST_SOURCES[c.source] ?? c.source}</span></p>
          {c.breakdown && Object.keys(c.breakdown).length ? (
            <table class="kv" aria-label="Cost breakdown">
              <tbody>{Object.entries(c.breakdown).map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{usd(v)}</td></tr>)}</tbody>
            </table>
          ) : null}
          {c.note ? <p class="muted">{c.note}</p> : null}
        </div>
      ) : null}
    </details>
  );
}
