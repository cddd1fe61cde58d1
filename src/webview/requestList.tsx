import type { RequestSummaryMessage } from '../core/protocol/messages';
import { post } from './api';
import { duration, tokens, usd } from './format';
import { Icon, type IconName } from './icons';

const STATUS_ICON: Record<RequestSummaryMessage['status'], IconName> = { running: 'running', done: 'done', error: 'error', cancelled: 'cancelled' };

function title(r: RequestSummaryMessage): string {
  const text = r.prompt?.trim() || r.command || 'request';
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** The history, newest first: a listbox, arrow keys move the selection. */
export function RequestList({ requests, selected }: { requests: RequestSummaryMessage[]; selected?: string }) {
  const onKey = (e: KeyboardEvent) => {
    const i = requests.findIndex((r) => r.requestId === selected);
    let next = i;
    if (e.key === 'ArrowDown') next = Math.min(requests.length - 1, i + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = requests.length - 1;
    else return;
    e.preventDefault();
    const r = requests[next];
    if (r && r.requestId !== selected) post({ type: 'select', requestId: r.requestId });
    requestAnimationFrame(() => (document.getElementById(`req-${next}`) as HTMLElement | null)?.scrollIntoView({ block: 'nearest' }));
  };
  const active = Math.max(0, requests.findIndex((r) => r.requestId === selected));
  return (
    <section class="history" aria-label="Request history">
      <div class="section-title">
        <h2>Requests <span class="muted">({requests.length})</span></h2>
        <button class="icon-button" data-action="clear-history" title="Clear history" aria-label="Clear request history" onClick={() => post({ type: 'action', action: 'clearHistory' })}>
          <Icon name="trash" />
        </button>
      </div>
      <ul class="request-list" role="listbox" tabIndex={0} aria-label="Requests, newest first" aria-activedescendant={requests.length ? `req-${active}` : undefined} onKeyDown={onKey}>
        {requests.map((r, i) => (
          <li
            key={r.requestId}
            id={`req-${i}`}
            role="option"
            aria-selected={r.requestId === selected}
            class={`request-row${r.requestId === selected ? ' selected' : ''} status-${r.status}`}
            data-request-id={r.requestId}
            onClick={() => post({ type: 'select', requestId: r.requestId })}
          >
            <span class="row-status"><Icon name={STATUS_ICON[r.status]} label={r.status} spin={r.status === 'running'} /></span>
            <span class="row-main">
              <span class="row-title">{r.command ? <span class="badge">{r.command}</span> : null}{title(r)}</span>
              {r.focus ? <span class="row-focus" title={`The request was about ${r.focus}`}>{r.focus}</span> : null}
              <span class="row-meta muted">
                {r.model} · {r.endpoint} · {duration(r.ms)} · {tokens(r.usage ? r.usage.prompt + r.usage.completion : undefined)} tok · {usd(r.cost)}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
