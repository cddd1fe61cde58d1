import type { RequestView } from '../core/protocol/requestView';
import { AgentPanel } from './agentPanel';
import { post } from './api';
import { ContextPanel } from './contextPanel';
import { thinkingTime } from '../core/format/duration';
import { clock, duration, tokens } from './format';
import { Icon } from './icons';
import { MarkdownView } from './markdownView';
import { MeterPanel } from './meterPanel';
import { Errors, Retries } from './problems';
import { ToolCalls } from './tools';
import { UsageCost } from './usageCost';

/**
 * The endpoint reasons privately (MAI on Foundry, or reasoning tokens with no text): say so, with
 * what is known, rather than leave an empty pane.
 */
function PrivateReasoning({ view, now }: { view: RequestView; now: number }) {
  const thinking = view.status === 'running' && !view.answer && view.tools.length === 0;
  const ms = view.end?.thinkingMs ?? (thinking && view.startedAt ? now - view.startedAt : undefined);
  const reasoningTokens = view.usage?.reasoning;
  return (
    <section class="section reasoning reasoning-private" aria-label="Reasoning">
      <h3>{thinking ? 'Thinking…' : 'Reasoning'} <span class="muted">{ms !== undefined ? (thinking ? duration(ms) : `thought for ${duration(ms)}`) : ''}{reasoningTokens ? ` · ${tokens(reasoningTokens)} reasoning tokens` : ''}</span></h3>
      <p class="muted private-note">Reasoning is private on this endpoint: the model thinks before it answers but does not send its reasoning{view.end ? '' : ', so there is nothing to show while it thinks'}.</p>
    </section>
  );
}

function Reasoning({ view, now }: { view: RequestView; now: number }) {
  if (!view.reasoning && view.privateReasoning) return <PrivateReasoning view={view} now={now} />;
  if (!view.reasoning) return null;
  const live = view.status === 'running' && view.reasoningEndedAt === undefined;
  const end = view.reasoningEndedAt ?? (live ? now : view.lastEventAt ?? now);
  const seen = end - (view.reasoningStartedAt ?? end);
  const elapsed = duration(live ? seen : thinkingTime(view.end, seen));
  const reasoningTokens = view.usage?.reasoning;
  return (
    <details class="section reasoning" open>
      <summary>
        <h3>{live ? 'Thinking…' : 'Reasoning'} <span class="muted">{live ? elapsed : `thought for ${elapsed}`}{reasoningTokens ? ` · ${tokens(reasoningTokens)} tokens` : ''}</span></h3>
      </summary>
      <MarkdownView key={view.requestId} text={view.reasoning} class="reasoning-body" follow live={live} label="Reasoning" />
    </details>
  );
}

function Actions({ view }: { view: RequestView }) {
  const id = view.requestId;
  const running = view.status === 'running';
  return (
    <div class="actions" role="toolbar" aria-label="Request actions">
      {running ? (
        <button class="button" data-action="cancel" onClick={() => post({ type: 'action', action: 'cancel', requestId: id })}><Icon name="stop" /> Cancel</button>
      ) : view.agent ? null : (
        <button class="button secondary" data-action="rerun" onClick={() => post({ type: 'action', action: 'rerun', requestId: id })}><Icon name="rerun" /> Re-run</button>
      )}
      <button class="icon-button" data-action="copy-answer" title="Copy answer" aria-label="Copy answer" disabled={!view.answer} onClick={() => post({ type: 'action', action: 'copyAnswer', requestId: id })}><Icon name="copy" /></button>
      <button class="icon-button" data-action="export" title="Export trace (JSONL)" aria-label="Export trace as JSONL" onClick={() => post({ type: 'action', action: 'export', requestId: id })}><Icon name="export" /></button>
    </div>
  );
}

/** One request, live: reasoning, answer, tools, context, usage and cost, retries, errors. */
export function Detail({ view, now }: { view: RequestView; now: number }) {
  return (
    <article class="detail" aria-label="Request detail" data-request-id={view.requestId} data-status={view.status}>
      <div class="detail-head">
        <div>
          <h2 class="detail-title">{view.command ? <span class="badge">{view.command}</span> : null}{view.prompt || 'Request'}</h2>
          <p class="muted">
            {view.model ?? '—'} · {view.endpoint ?? '—'}{view.startedAt ? ` · ${clock(view.startedAt)}` : ''}
            {view.end ? ` · ${duration(view.end.ms)}` : view.status === 'running' && view.startedAt ? ` · ${duration(now - view.startedAt)}` : ''}
            {view.end?.firstTokenMs !== undefined ? ` · first token ${duration(view.end.firstTokenMs)}` : ''}
          </p>
          {view.route ? <p class="muted">Routed by {view.route.rule}: {view.route.reason}</p> : null}
        </div>
        <Actions view={view} />
      </div>
      <AgentPanel view={view} now={now} />
      <MeterPanel view={view} />
      <Errors view={view} />
      <Retries view={view} now={now} />
      {/* An agent task shows its reasoning and tool calls step by step, above. */}
      {view.agent && Object.keys(view.agent.reasoning).length ? null : <Reasoning view={view} now={now} />}
      {view.agent ? null : <ToolCalls view={view} />}
      {view.answer ? (
        <section class="section answer" aria-label="Answer">
          <h3>Answer</h3>
          <MarkdownView key={view.requestId} text={view.answer} class="answer-body" live={view.status === 'running'} label="Answer" />
        </section>
      ) : view.status === 'running' && !view.reasoning && !view.privateReasoning ? (
        <p class="muted waiting"><Icon name="running" spin /> Waiting for the model…</p>
      ) : null}
      <ContextPanel view={view} />
      <UsageCost view={view} />
    </article>
  );
}
