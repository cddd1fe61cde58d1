import { Detail } from './detail';
import { EmptyState } from './empty';
import { Header } from './header';
import { RequestList } from './requestList';
import type { WebviewState } from './state';

export function App({ state, now }: { state: WebviewState; now: number }) {
  if (!state.loaded) return <div class="loading muted" role="status">Loading…</div>;
  const empty = !state.requests.length && !state.view;
  return (
    <div class="app">
      <Header header={state.header} />
      {empty ? <EmptyState setup={state.header.setup} /> : (
        <>
          <RequestList requests={state.requests} selected={state.selected} />
          {state.view ? <Detail view={state.view} now={now} /> : <p class="muted">Select a request to see its detail.</p>}
        </>
      )}
    </div>
  );
}
