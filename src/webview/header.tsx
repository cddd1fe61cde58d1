import type { HeaderInfo } from '../core/protocol/header';
import { post } from './api';
import { DASH, usd } from './format';

function Spend({ label, amount, budget }: { label: string; amount?: number; budget?: number | null }) {
  const share = budget && amount !== undefined ? Math.min(1, amount / budget) : undefined;
  const level = share === undefined ? '' : share >= 1 ? ' over' : share >= 0.8 ? ' warn' : '';
  return (
    <div class="spend" role="group" aria-label={`${label} spend`}>
      <span class="spend-label">{label}</span>
      <span class="spend-amount">{amount === undefined ? DASH : usd(amount)}{budget ? <span class="muted"> / {usd(budget)}</span> : null}</span>
      {share !== undefined ? (
        <div class={`meter${level}`} role="meter" aria-valuemin={0} aria-valuemax={budget ?? 0} aria-valuenow={amount} aria-label={`${label} spend against budget`}>
          <div class="meter-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </div>
      ) : null}
    </div>
  );
}

export function Header({ header }: { header: HeaderInfo }) {
  const ep = header.endpoint;
  const health = ep?.health?.state ?? 'unknown';
  const spend = header.spend;
  return (
    <header class="header" aria-label="Endpoint and spend">
      <div class="endpoint" title={ep?.health?.detail}>
        <span class={`health health-${health}`} role="img" aria-label={`Endpoint health: ${health}`} />
        <span class="endpoint-label">{ep ? ep.label : DASH}</span>
        {ep ? <span class="muted endpoint-model">{ep.model}</span> : null}
        {ep?.health?.detail ? <span class="muted health-detail">{ep.health.detail}</span> : null}
        {header.effort ? (
          <button class="link-button effort" data-action="select-effort" title="Reasoning effort for the next requests: click to change"
            onClick={() => post({ type: 'action', action: 'selectEffort' })}>effort: {header.effort.label}</button>
        ) : null}
      </div>
      <div class="spends">
        <Spend label="Session" amount={spend?.session} />
        <Spend label="Today" amount={spend?.today} budget={spend?.budgetDaily} />
        <Spend label="Month" amount={spend?.month} budget={spend?.budgetMonthly} />
      </div>
    </header>
  );
}
