import type { RequestView } from '../core/protocol/requestView';
import { post } from './api';
import { duration } from './format';
import { Icon } from './icons';

/** Retries with their causes; the latest shows a countdown while it waits. */
export function Retries({ view, now }: { view: RequestView; now: number }) {
  if (!view.retries.length) return null;
  return (
    <section class="section retries" aria-label="Retries">
      <h3>Retries</h3>
      <ul>
        {view.retries.map((r, i) => {
          const left = r.t + r.delayMs - now;
          const waiting = view.status === 'running' && i === view.retries.length - 1 && left > 0;
          return (
            <li key={i}>
              <Icon name="rerun" /> Attempt {r.attempt}: {r.cause} <span class="muted">{waiting ? `retrying in ${Math.ceil(left / 1000)} s` : `after ${duration(r.delayMs)}`}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Errors with what to do, and a button that runs the fix the error names. */
export function Errors({ view }: { view: RequestView }) {
  if (!view.errors.length && !view.notices.length) return null;
  return (
    <section class="section problems" aria-label="Errors and notices">
      {view.errors.map((e, i) => (
        <div key={`e${i}`} class={`problem problem-${e.kind === 'cancelled' ? 'info' : 'error'}`} role="alert">
          <Icon name={e.kind === 'cancelled' ? 'cancelled' : 'error'} />
          <div>
            <p class="problem-message">{e.message}{e.status ? <span class="muted"> (HTTP {e.status})</span> : null}</p>
            {e.action ? <p class="muted">{e.action}</p> : null}
            {e.fix ? (
              <button class="button" data-action="fix" onClick={() => post({ type: 'runFix', requestId: view.requestId, index: i })}>{e.fix.title}</button>
            ) : null}
          </div>
        </div>
      ))}
      {view.notices.map((n, i) => (
        <div key={`n${i}`} class={`problem problem-${n.level}`}>
          <Icon name={n.level === 'warning' ? 'warning' : 'done'} />
          <p>{n.message}</p>
        </div>
      ))}
    </section>
  );
}
