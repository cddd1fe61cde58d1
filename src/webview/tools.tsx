import { prettyArguments, type RequestView, type ToolCallView } from '../core/protocol/requestView';
import { post } from './api';
import { duration } from './format';
import { Icon } from './icons';
import { MarkdownView } from './markdownView';

function approvalText(t: ToolCallView): string {
  const a = t.approval;
  if (!a) return t.result ? '' : 'running';
  if (a.state === 'asked') return t.result ? 'asked' : 'waiting for approval';
  const by = a.by === 'session' ? ' for this session' : a.by === 'policy' ? ' by policy' : a.by === 'user' ? ' by you' : '';
  return `${a.state === 'granted' ? 'allowed' : 'denied'}${by}`;
}

function ToolCall({ tool, view }: { tool: ToolCallView; view: RequestView }) {
  const waiting = tool.approval?.state === 'asked' && !tool.result && view.status === 'running';
  const answer = (allow: boolean, forSession?: boolean) =>
    post({ type: 'approve', requestId: view.requestId, callId: tool.id, allow, forSession });
  const state = tool.result ? (tool.result.ok ? 'ok' : 'failed') : tool.approval?.state === 'denied' ? 'denied' : waiting ? 'waiting' : 'running';
  return (
    <li class={`tool tool-${state}`} aria-label={`Tool call ${tool.name}: ${state}`} data-tool-id={tool.id}>
      <div class="tool-head">
        <Icon name="tool" />
        <code class="tool-name">{tool.name}</code>
        <span class={`pill pill-${state}`}>{approvalText(tool) || state}</span>
        {tool.result ? <span class="muted">{duration(tool.result.ms)}</span> : null}
      </div>
      <details class="tool-args">
        <summary>Arguments</summary>
        <pre><code>{prettyArguments(tool.arguments)}</code></pre>
      </details>
      {tool.approval?.detail ? <p class="muted">{tool.approval.detail}</p> : null}
      {waiting ? (
        <div class="approval" role="group" aria-label={`Approve ${tool.name}`}>
          <button class="button" data-action="allow" onClick={() => answer(true)}>Allow</button>
          <button class="button secondary" data-action="deny" onClick={() => answer(false)}>Deny</button>
          <button class="button secondary" data-action="allow-session" onClick={() => answer(true, true)}>Allow for session</button>
        </div>
      ) : null}
      {tool.result ? (
        <div class="tool-result">
          <MarkdownView text={tool.result.summary} class="tool-summary" label={`${tool.name} result`} />
          {tool.result.error ? <p class="error-text">{tool.result.error}</p> : null}
        </div>
      ) : null}
    </li>
  );
}

export function ToolCalls({ view }: { view: RequestView }) {
  if (!view.tools.length) return null;
  return (
    <details class="section" open>
      <summary><h3>Tool calls <span class="muted">({view.tools.length})</span></h3></summary>
      <ol class="tools">{view.tools.map((t) => <ToolCall key={t.id} tool={t} view={view} />)}</ol>
    </details>
  );
}
