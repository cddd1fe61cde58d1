import type { HeaderInfo } from '../core/protocol/header';
import { post } from './api';
import { Icon } from './icons';

/**
 * First run: what Ponder is, and a guided way to connect an endpoint. Once a profile exists the
 * welcome says where requests go and how to send the first one.
 */
export function EmptyState({ setup }: { setup?: HeaderInfo['setup'] }) {
  const configured = (setup?.profiles ?? 0) > 0;
  return (
    <section class="empty" aria-label="Getting started">
      <h2>Ponder</h2>
      <p>
        Ponder sends your code, with the parts of the repository that matter for it, to a reasoning model
        (MAI-Thinking-1, your own vLLM, or any OpenAI-compatible endpoint). Here you will see each request's
        context, reasoning, tool calls, tokens and cost as it streams.
      </p>
      {configured ? (
        <>
          <p class="ready" data-setup="ready">
            <Icon name="done" />
            <span>
              Requests go to <strong>{setup?.defaultLabel ?? 'your endpoint'}</strong>
              {setup && setup.profiles > 1 ? ` (${setup.profiles} endpoints configured)` : ''}.
            </span>
          </p>
          <p>Select code and run <strong>Ponder: Explain Selection</strong>, or ask <code>@ponder</code> in the Chat view.</p>
          <div class="actions">
            <button class="button secondary" data-action="add-endpoint" onClick={() => post({ type: 'action', action: 'addEndpoint' })}>
              <Icon name="add" /> Add Another Endpoint…
            </button>
            <button class="button secondary" data-action="select-endpoint" onClick={() => post({ type: 'action', action: 'selectEndpoint' })}>
              <Icon name="server" /> Select Endpoint
            </button>
          </div>
        </>
      ) : (
        <>
          <ol class="steps" data-setup="none">
            <li>
              <p><strong>Add an endpoint</strong>: MAI-Thinking-1 on Microsoft Foundry or OpenRouter, a vLLM server, or any OpenAI-compatible server. Ponder tests the connection and keeps the key in the OS keychain, never in settings.</p>
              <button class="button" data-action="add-endpoint" onClick={() => post({ type: 'action', action: 'addEndpoint' })}>
                <Icon name="add" /> Add Endpoint…
              </button>
            </li>
            <li>
              <p>Then select code and run <strong>Ponder: Explain Selection</strong>, or ask <code>@ponder</code> in the Chat view.</p>
            </li>
          </ol>
          <p class="muted">
            Until then Ponder uses a local vLLM at <code>http://localhost:8000/v1</code>. Teams can also write profiles in
            settings (<code>ponder.endpoints</code> offers a snippet for each kind):{' '}
            <a href="#" data-action="open-settings" onClick={(e) => { e.preventDefault(); post({ type: 'action', action: 'openSettings' }); }}>open settings</a>.
          </p>
        </>
      )}
    </section>
  );
}
