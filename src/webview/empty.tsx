import { post } from './api';
import { Icon } from './icons';

/** First run: what Ponder is, and the two steps that connect an endpoint. */
export function EmptyState() {
  return (
    <section class="empty" aria-label="Getting started">
      <h2>Ponder</h2>
      <p>
        Ponder sends your code, with the parts of the repository that matter for it, to a reasoning model
        (MAI-Thinking-1, your own vLLM, or any OpenAI-compatible endpoint). Here you will see each request's
        context, reasoning, tool calls, tokens and cost as it streams.
      </p>
      <ol class="steps">
        <li>
          <p><strong>Add an endpoint profile</strong> in settings (<code>ponder.endpoints</code>): its base URL and model. With none, Ponder uses a local vLLM at <code>http://localhost:8000/v1</code>.</p>
          <button class="button" data-action="open-settings" onClick={() => post({ type: 'action', action: 'openSettings' })}>
            <Icon name="gear" /> Open Settings
          </button>
        </li>
        <li>
          <p><strong>Store its key</strong> once (kept in the OS keychain, never in settings). Local servers need none.</p>
          <button class="button secondary" data-action="set-api-key" onClick={() => post({ type: 'action', action: 'setApiKey' })}>
            <Icon name="key" /> Ponder: Set API Key
          </button>
        </li>
      </ol>
      <p class="muted">Then select code and run <strong>Ponder: Explain Selection</strong>, or ask <code>@ponder</code> in the Chat view.</p>
    </section>
  );
}
