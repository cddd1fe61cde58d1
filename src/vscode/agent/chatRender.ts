import * as vscode from 'vscode';
import type { PonderEvent } from '../../core/events';
import { applyAgentEvent, changedFiles, type AgentEvent, type AgentView } from '../../core/protocol/agentView';
import { ChatRenderer } from '../chat/render';
import { checkMarkdown, fileMarkdown, planMarkdown, stepLine, summaryMarkdown } from './chatText';

function isAgentEvent(e: PonderEvent): e is AgentEvent {
  return e.type.startsWith('agent.');
}

/**
 * An agent task in the Chat view. The request's own events (reasoning gist, the model's words,
 * tool calls, approvals, usage, errors, the footer) render as every @ponder answer does; on top
 * of that the plan is written again each time it changes, each file change with its diff, each
 * check with its result, a line per step with its tokens and cost, and at the end a summary
 * (outcome, plan, checks, files, cost per step and per task) with Review and Undo buttons.
 */
export class AgentChatRenderer {
  readonly base: ChatRenderer;
  private agent: AgentView | undefined;
  private lastPlan = '';

  constructor(private readonly stream: vscode.ChatResponseStream, resolveUri: (path: string, root?: string) => vscode.Uri | undefined) {
    this.base = new ChatRenderer(stream, resolveUri);
  }

  get view(): AgentView | undefined {
    return this.agent;
  }

  onEvent(e: PonderEvent): void {
    if (!isAgentEvent(e)) {
      this.base.onEvent(e);
      return;
    }
    this.agent = applyAgentEvent(this.agent, e);
    switch (e.type) {
      case 'agent.task.start':
        this.progress(`Agent task started${e.checks.length ? `; checks: ${e.checks.map((c) => c.command).join(', ')}` : '; no checks configured'}`);
        break;
      case 'agent.plan': {
        const md = planMarkdown(e.items);
        if (md && md !== this.lastPlan) {
          this.lastPlan = md;
          this.base.paragraph(md);
        }
        const now = e.items.find((i) => i.status === 'in_progress');
        if (now) this.progress(`Working on: ${now.text}`);
        break;
      }
      case 'agent.step':
        this.base.paragraph(`_${stepLine(e)}_\n\n`);
        break;
      case 'agent.file':
        this.base.paragraph(fileMarkdown(e));
        break;
      case 'agent.check':
        if (e.state === 'running') this.progress(`Running the check ${e.command}…`);
        else this.base.paragraph(checkMarkdown(e));
        break;
      case 'agent.condensed':
        this.base.paragraph(`_Condensed ${e.outputs} older tool output${e.outputs === 1 ? '' : 's'} to stay inside the model's window (${e.tokensBefore.toLocaleString('en-US')} → ${e.tokensAfter.toLocaleString('en-US')} tokens); the trace keeps them._\n\n`);
        break;
      case 'agent.task.end':
        break;
    }
  }

  private progress(text: string): void {
    this.base.progressShown.push(text);
    this.stream.progress(text);
  }

  /** The summary, the footer, then Review / Undo (when files changed) and the trace button. */
  finish(requestId: string): void {
    if (this.agent) this.base.markdown(`\n\n---\n\n${summaryMarkdown(this.agent)}`);
    this.base.finish(requestId);
    const taskId = this.agent?.taskId ?? requestId;
    if (this.agent && changedFiles(this.agent).length) {
      this.button('ponder.agent.review', 'Review Changes', taskId);
      this.button('ponder.agent.undo', 'Undo Agent Changes', taskId);
    }
  }

  private button(command: string, title: string, taskId: string): void {
    this.base.buttons.push(title);
    this.stream.button({ command, title, arguments: [taskId] });
  }

  dispose(): void {
    this.base.dispose();
  }
}
