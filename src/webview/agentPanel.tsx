import './agent.css';
import { agentSteps, latestChecks, planProgress, taskCost, type AgentStepView } from '../core/protocol/agentSteps';
import { changedFiles, type AgentCheckRun, type AgentFileChange, type AgentView } from '../core/protocol/agentView';
import type { RequestView, ToolCallView } from '../core/protocol/requestView';
import { post } from './api';
import { duration, tokens, usd } from './format';
import { Icon } from './icons';
import { MarkdownView } from './markdownView';

/**
 * An agent task as one item: what it was asked, how it ended, the plan with what is done, the
 * checks' latest results, the files it changed, and each step (the model's turn: its reasoning,
 * its tool calls with their approvals, what they changed, the checks it ran, its tokens and
 * cost), with Undo and Review. The task's reasoning and tool calls appear only in their steps.
 * Everything the model or a command wrote is shown as text (never as HTML).
 */

const PLAN_MARK: Record<string, string> = { done: '✓', in_progress: '▸', pending: '○' };
const ACTION_LABEL: Record<string, string> = { created: 'created', edited: 'edited', renamed: 'renamed', deleted: 'deleted' };

function endLabel(agent: AgentView, view: RequestView): { text: string; tone: 'ok' | 'failed' | 'running' | 'stopped' } {
  const end = agent.end;
  if (!end) return view.status === 'running' ? { text: 'Working', tone: 'running' } : { text: view.status === 'cancelled' ? 'Stopped' : 'Ended', tone: 'stopped' };
  switch (end.reason) {
    case 'checks-passed': return { text: 'Checks pass', tone: 'ok' };
    case 'done': return { text: 'Done', tone: 'ok' };
    case 'checks-failed': return { text: 'Checks still fail', tone: 'failed' };
    case 'limit': return { text: `Stopped at the ${end.limit?.kind ?? ''} limit`.replace('  ', ' '), tone: 'failed' };
    case 'cancelled': return { text: 'Stopped', tone: 'stopped' };
    case 'refused': return { text: 'Not started', tone: 'failed' };
    default: return { text: 'Failed', tone: 'failed' };
  }
}

function Plan({ agent }: { agent: AgentView }) {
  if (!agent.plan.length) return null;
  const { done, total } = planProgress(agent);
  return (
    <section class="section agent-plan" aria-label="Plan">
      <h3>Plan <span class="muted">{done} of {total} done</span></h3>
      <ol class="plan">
        {agent.plan.map((item, i) => (
          <li key={i} class={`plan-item plan-${item.status}`} data-status={item.status}>
            <span class="plan-mark" aria-hidden="true">{PLAN_MARK[item.status] ?? '○'}</span>
            <span class="plan-text">{item.text}</span>
            <span class="visually-hidden">{item.status === 'done' ? ' (done)' : item.status === 'in_progress' ? ' (in progress)' : ''}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function CheckRun({ run }: { run: AgentCheckRun }) {
  const state = run.state === 'passed' ? 'ok' : run.state === 'failed' ? 'failed' : 'running';
  return (
    <li class={`check check-${run.state}`} data-check={run.name} data-state={run.state}>
      <div class="check-head">
        {run.state === 'running' ? <Icon name="running" spin /> : <Icon name={run.state === 'passed' ? 'done' : 'error'} />}
        <code class="check-command">{run.command}</code>
        <span class={`pill pill-${state}`}>{run.state === 'passed' ? 'pass' : run.state === 'failed' ? `fail${typeof run.exitCode === 'number' ? ` (exit ${run.exitCode})` : ''}` : 'running'}</span>
        {run.ms !== undefined ? <span class="muted">{duration(run.ms)}</span> : null}
      </div>
      {run.output ? (
        <details class="check-output" open={run.state === 'failed'}>
          <summary>Output</summary>
          <pre><code>{run.output}</code></pre>
        </details>
      ) : null}
    </li>
  );
}

function Checks({ agent }: { agent: AgentView }) {
  const latest = latestChecks(agent);
  if (!latest.length && !agent.checks.length) return null;
  return (
    <section class="section agent-checks" aria-label="Checks">
      <h3>Checks</h3>
      {latest.length ? <ul class="checks">{latest.map((r) => <CheckRun key={`${r.name}-${r.t}`} run={r} />)}</ul>
        : <p class="muted">Not run yet: {agent.checks.map((c) => c.command).join(', ')}</p>}
    </section>
  );
}

/** After the user settled every change of the task (Undo Agent Changes, the review). */
function decidedText(agent: AgentView): string {
  const states = new Set(Object.values(agent.decided));
  if (states.size === 1 && states.has('undone')) return 'Changes undone: the files are back as they were before the task.';
  if (states.size === 1 && states.has('kept')) return 'Changes kept: nothing left to review.';
  return 'Every change was undone or kept: nothing left to review.';
}

function Files({ agent }: { agent: AgentView }) {
  const files = changedFiles(agent);
  if (!files.length) return null;
  return (
    <section class="section agent-files" aria-label="Files changed">
      <h3>Files changed <span class="muted">({files.length})</span></h3>
      <ul class="files">
        {files.map((f) => (
          <li key={f.path} class={`file file-${f.action}${agent.decided[f.path] ? ` file-${agent.decided[f.path]}` : ''}`} data-path={f.path} data-decided={agent.decided[f.path]}>
            <button class="link-button" title={`Open ${f.path}`} disabled={f.action === 'deleted'} onClick={() => post({ type: 'openFile', path: f.path, root: agent.root })}>{f.path}</button>
            <span class="muted"> {f.action === 'renamed' && f.from ? `renamed from ${f.from}` : ACTION_LABEL[f.action]}</span>
            <span class="diffstat"> <span class="added">+{f.added}</span> <span class="removed">−{f.removed}</span></span>
            {agent.decided[f.path] ? <> <span class="pill agent-decision">{agent.decided[f.path]}</span></> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function FileChange({ change }: { change: AgentFileChange }) {
  return (
    <li class="step-file" data-path={change.path}>
      <details>
        <summary>
          <Icon name="file" /> <span>{change.path}</span> <span class="muted">{change.action === 'renamed' && change.from ? `renamed from ${change.from}` : ACTION_LABEL[change.action]}</span>
          <span class="diffstat"> <span class="added">+{change.added}</span> <span class="removed">−{change.removed}</span></span>
        </summary>
        {change.diff ? <pre class="diff"><code>{change.diff.split('\n').map((line, i) => <span key={i} class={line.startsWith('+') && !line.startsWith('+++') ? 'line-add' : line.startsWith('-') && !line.startsWith('---') ? 'line-del' : line.startsWith('@@') ? 'line-hunk' : undefined}>{line}{'\n'}</span>)}</code></pre> : null}
      </details>
    </li>
  );
}

function toolLine(name: string, args: string): string {
  try {
    const a = JSON.parse(args) as Record<string, unknown>;
    if (name === 'update_plan' && Array.isArray(a.items)) {
      const items = a.items as Array<{ status?: unknown }>;
      return `${name}: ${items.filter((i) => i.status === 'done').length} of ${items.length} done`;
    }
    const target = [a.path, a.command, a.from && a.to ? `${String(a.from)} → ${String(a.to)}` : undefined].find((x) => typeof x === 'string');
    return target ? `${name} ${target}` : name;
  } catch {
    return name;
  }
}

/** "allowed by you", "denied by policy": how an approval went, for a finished call. */
function approvalNote(t: ToolCallView): string {
  const a = t.approval;
  if (!a || a.state === 'asked') return '';
  const by = a.by === 'session' ? ' for this session' : a.by === 'policy' ? ' by policy' : a.by === 'user' ? ' by you' : '';
  return `${a.state === 'granted' ? 'allowed' : 'denied'}${by}`;
}

/** One tool call of a step: what it did, how it went, and the approval buttons while it waits. */
function StepTool({ tool, view }: { tool: ToolCallView; view: RequestView }) {
  const waiting = tool.approval?.state === 'asked' && !tool.result && view.status === 'running';
  const state = tool.result ? (tool.result.ok ? 'ok' : 'failed') : tool.approval?.state === 'denied' ? 'denied' : waiting ? 'waiting' : 'running';
  const answer = (allow: boolean, forSession?: boolean) => post({ type: 'approve', requestId: view.requestId, callId: tool.id, allow, forSession });
  const note = approvalNote(tool);
  return (
    <li class={`step-tool tool-${state}`} data-tool-id={tool.id} data-state={state}>
      <div class="step-tool-head">
        <Icon name="tool" /> <code>{toolLine(tool.name, tool.arguments)}</code>
        <span class={`pill pill-${state}`}>{state === 'waiting' ? 'waiting for approval' : state}</span>
        {note && tool.approval?.by !== 'policy' ? <span class="muted">{note}</span> : null}
        {tool.result ? <span class="muted">{duration(tool.result.ms)}</span> : null}
      </div>
      {waiting ? (
        <>
          {tool.approval?.detail ? <p class="muted">{tool.approval.detail}</p> : null}
          <div class="approval" role="group" aria-label={`Approve ${tool.name}`}>
            <button class="button" data-action="allow" onClick={() => answer(true)}>Allow</button>
            <button class="button secondary" data-action="deny" onClick={() => answer(false)}>Deny</button>
            <button class="button secondary" data-action="allow-session" onClick={() => answer(true, true)}>Allow for session</button>
          </div>
        </>
      ) : null}
      {/* A failed check says why in its own row below (exit code, output). */}
      {tool.result && !tool.result.ok && tool.name !== 'run_check' ? <p class="error-text">{tool.result.error ?? tool.result.summary}</p> : null}
    </li>
  );
}

function Step({ step, view }: { step: AgentStepView; view: RequestView }) {
  const u = step.usage;
  return (
    <li class={`step${step.running ? ' step-running' : ''}`} data-step={step.step}>
      <div class="step-head">
        <strong>Step {step.step}</strong>
        {step.running ? <span class="muted"><Icon name="running" spin /> {step.reasoning || step.tools.length ? 'model turn' : 'waiting for the model'}</span> : null}
        {u ? <span class="muted">{tokens(u.prompt + u.completion)} tokens</span> : null}
        {step.cost !== undefined ? <span class="muted step-cost">{usd(step.cost)}</span> : null}
        {step.ms !== undefined ? <span class="muted">{duration(step.ms)}</span> : null}
      </div>
      {step.reasoning ? (
        <details class="step-reasoning" open={step.running}>
          <summary>Reasoning{u?.reasoning ? <span class="muted"> · {tokens(u.reasoning)} tokens</span> : null}</summary>
          <MarkdownView text={step.reasoning} class="reasoning-body" live={step.running} label={`Reasoning of step ${step.step}`} />
        </details>
      ) : null}
      {step.tools.length ? <ul class="step-tools">{step.tools.map((t) => <StepTool key={t.id} tool={t} view={view} />)}</ul> : null}
      {step.files.length ? <ul class="step-files">{step.files.map((c, i) => <FileChange key={`${c.path}-${i}`} change={c} />)}</ul> : null}
      {step.checks.length ? <ul class="checks step-checks">{step.checks.map((r) => <CheckRun key={`${r.name}-${r.t}`} run={r} />)}</ul> : null}
    </li>
  );
}

export function AgentPanel({ view, now }: { view: RequestView; now: number }) {
  const agent = view.agent;
  if (!agent) return null;
  const label = endLabel(agent, view);
  const cost = taskCost(agent);
  const steps = agentSteps(view);
  const ms = agent.end?.ms ?? (view.startedAt ? (view.status === 'running' ? now : view.lastEventAt ?? now) - view.startedAt : undefined);
  const ended = !!agent.end || view.status !== 'running';
  const files = changedFiles(agent).length;
  return (
    <section class="agent" aria-label="Agent task" data-task-id={agent.taskId} data-state={label.tone}>
      <div class="agent-summary">
        <span class={`pill pill-${label.tone === 'ok' ? 'ok' : label.tone === 'failed' ? 'failed' : 'waiting'} agent-state`}>{label.text}</span>
        <span class="muted">{agent.steps.length} step{agent.steps.length === 1 ? '' : 's'} · {tokens(agent.end ? agent.end.usage.prompt + agent.end.usage.completion : agent.totalTokens)} tokens · <span class="agent-cost">{usd(cost)}</span>{ms !== undefined ? ` · ${duration(ms)}` : ''}</span>
      </div>
      {agent.end?.message ? <p class={agent.end.ok ? 'agent-message' : 'agent-message error-text'}>{agent.end.message}</p> : null}
      {ended && files && agent.remaining === 0 ? <p class="muted agent-decided">{decidedText(agent)}</p> : null}
      {ended && files && agent.remaining !== 0 ? (
        <div class="actions agent-actions" role="toolbar" aria-label="Agent changes">
          <button class="button" data-action="agent-review" onClick={() => post({ type: 'action', action: 'agentReview', requestId: view.requestId })}>Review changes</button>
          <button class="button secondary" data-action="agent-undo" onClick={() => post({ type: 'action', action: 'agentUndo', requestId: view.requestId })}><Icon name="rerun" /> Undo</button>
        </div>
      ) : null}
      <Plan agent={agent} />
      <Checks agent={agent} />
      <Files agent={agent} />
      {agent.condensed.length ? <p class="muted">Older tool output condensed {agent.condensed.length} time{agent.condensed.length === 1 ? '' : 's'} to stay inside the model's window (kept in the trace).</p> : null}
      {steps.length ? (
        <details class="section agent-steps" open>
          <summary><h3>Steps <span class="muted">({steps.length})</span></h3></summary>
          <ol class="steps">{steps.map((s) => <Step key={s.step} step={s} view={view} />)}</ol>
        </details>
      ) : null}
    </section>
  );
}
