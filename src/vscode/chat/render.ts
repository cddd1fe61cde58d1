import * as vscode from 'vscode';
import type { PonderEvent, EventOf, FixAction } from '../../core/events';
import { formatDuration, thinkingTime } from '../../core/format/duration';
import { formatFooter, formatInt, latestSentence, nextThinkingTick, thinkingLabel } from './prompts';
import { followupFit, type Meter } from '../../core/run/meter';
import { meterLine } from '../../core/run/meterText';

/**
 * Renders one request's events into the Chat view: progress while it gathers context and
 * reasons (with the gist of the reasoning as it goes: its latest sentence), the answer as it
 * streams, references for what was packed, one line on the reasoning (how long, how many tokens,
 * or that it is private on this endpoint) with a button that opens the full reasoning in the
 * sidebar, the footer (endpoint, model, tokens, cost), and errors as a readable answer with a
 * button that fixes the cause. Also keeps the plain text and progress shown, which the
 * integration tests read back.
 *
 * Order matters: VS Code 1.139 folds a finished response's "intermediate work" into a
 * "Completed N steps" disclosure and keeps visible only the last unbroken run of markdown. So
 * notes wait for the answer, everything after the answer is markdown (anchors included), and
 * the buttons come last.
 */
export class ChatRenderer {
  private reasoning = '';
  private reasoningStarted = 0;
  /** Reasoning text of the current stretch (since the last answer or tool call): its gist is shown. */
  private stretch = '';
  private lastGist = '';
  private lastGistAt = 0;
  /** Time spent in stretches of streamed reasoning. */
  private reasoningMs = 0;
  /** The endpoint keeps its reasoning private (MAI on Foundry): say so while it thinks and after. */
  private privateReasoning = false;
  private thinkingTimer: ReturnType<typeof setTimeout> | undefined;
  private answered = false;
  /** The model is writing its answer now (reset by a tool call). */
  private streamingContent = false;
  private start?: EventOf<'request.start'>;
  private usage?: EventOf<'usage'>['usage'];
  private cost?: { amount: number | null; source: string };
  private end?: EventOf<'request.end'>;
  private error?: EventOf<'error'>;
  private meter?: Meter;
  private readonly noticesShown = new Set<string>();
  private readonly pendingNotes: string[] = [];
  /** Files the model read or edited through tools, shown as anchors after the answer. */
  private readonly toolFiles = new Map<string, 'read' | 'edited'>();
  private readonly fileCalls = new Map<string, { file: string; edit: boolean }>();
  /** Everything written as markdown, in order: what the user reads. */
  readonly transcript: string[] = [];
  /** Titles of the buttons shown, in order. */
  readonly buttons: string[] = [];
  /** Progress lines shown while the request ran, in order. */
  readonly progressShown: string[] = [];

  constructor(
    private readonly stream: vscode.ChatResponseStream,
    private readonly resolveUri: (path: string, root?: string) => vscode.Uri | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  markdown(text: string): void {
    this.transcript.push(text);
    this.stream.markdown(text);
  }

  private progress(text: string): void {
    this.progressShown.push(text);
    this.stream.progress(text);
  }

  /**
   * A notice said once per answer (untrusted workspace, history trimmed, tools unsupported). Held
   * until the answer starts so that it lands in the visible part of the response.
   */
  note(text: string): void {
    if (this.noticesShown.has(text)) return;
    this.noticesShown.add(text);
    this.pendingNotes.push(`_${text}_\n\n`);
    if (this.answered) this.flushNotes();
  }

  private flushNotes(): void {
    for (const n of this.pendingNotes.splice(0)) this.paragraph(n);
  }

  /** A block of its own: it starts a new paragraph when the text before it (the model's streamed words) did not end one. */
  paragraph(md: string): void {
    const last = this.transcript[this.transcript.length - 1];
    if (last && !last.endsWith('\n\n')) this.markdown('\n\n');
    this.markdown(md);
  }

  onEvent(e: PonderEvent): void {
    switch (e.type) {
      case 'request.start':
        this.start = e;
        this.progress(`Asking ${e.endpoint} (${e.model})…`);
        if (e.privateReasoning) {
          this.privateReasoning = true;
          this.progress('Thinking… (reasoning is private on this endpoint: only the answer will arrive)');
          this.reasoningStarted = this.now();
          this.scheduleThinking();
        }
        break;
      case 'context.packed':
        for (const item of e.items) {
          const uri = this.resolveUri(item.path, item.root);
          if (!uri) continue;
          const range = item.ranges?.[0];
          this.stream.reference(range ? new vscode.Location(uri, new vscode.Range(range[0] - 1, 0, range[1] - 1, 0)) : uri);
        }
        if (e.items.length) this.progress(`Packed ${e.items.length} context item${e.items.length === 1 ? '' : 's'} (${e.used} of ${e.budget} tokens)${e.partial ? ', partial' : ''}`);
        break;
      case 'reasoning.delta':
        // A new turn's reasoning (after a tool round) starts on its own line.
        if (this.reasoning && !this.inStretch && !this.streamingContent && !/\s$/.test(this.reasoning)) this.reasoning += '\n';
        this.reasoning += e.text;
        // A new stretch of thinking: at the start, or after a tool round (not mid-answer).
        if (!this.inStretch && !this.streamingContent) {
          this.stopThinking();
          this.inStretch = true;
          this.stretch = '';
          this.reasoningStarted = this.now();
          this.progress('Thinking…');
          this.scheduleThinking();
        }
        this.stretch += e.text;
        this.showGist();
        break;
      case 'content.delta':
        this.stopThinking();
        this.streamingContent = true;
        if (!this.answered) {
          this.answered = true;
          this.flushNotes();
        }
        this.markdown(e.text);
        break;
      case 'tool.call': {
        this.stopThinking();
        this.streamingContent = false;
        this.progress(`Tool: ${e.name} ${shortArgs(e.arguments)}`);
        const file = pathArgument(e.arguments);
        if (file && (e.name === 'read_file' || e.name === 'propose_edit')) this.fileCalls.set(e.id, { file, edit: e.name === 'propose_edit' });
        break;
      }
      case 'tool.approval':
        if (e.state === 'asked') this.progress(`Waiting for your approval${e.detail ? `: ${e.detail}` : ''} (answer in the prompt at the top of the window or in the Ponder sidebar)`);
        else if (e.state === 'denied') this.progress(`Not allowed${e.detail ? `: ${e.detail}` : ''}`);
        break;
      case 'tool.result': {
        if (!e.ok) this.progress(`Tool failed: ${e.error ?? e.summary}`);
        const call = this.fileCalls.get(e.id);
        if (call && e.ok) this.toolFiles.set(call.file, call.edit ? 'edited' : this.toolFiles.get(call.file) ?? 'read');
        break;
      }
      case 'retry':
        this.progress(`Retrying (attempt ${e.attempt}) in ${Math.round(e.delayMs / 1000)} s: ${e.cause}`);
        break;
      case 'usage':
        this.usage = e.usage;
        break;
      case 'prompt.meter':
        this.meter = e;
        break;
      case 'cost':
        this.cost = { amount: e.amount, source: e.source };
        break;
      case 'notice':
        this.note(e.message);
        break;
      case 'error':
        this.error = e;
        break;
      case 'request.end':
        this.end = e;
        break;
    }
  }

  /** Writes what comes after the answer: error, files, reasoning summary, footer, then the buttons. */
  /** `turnTokens`: this turn's question and answer, which a follow-up carries as history (for the fit warning). */
  finish(requestId: string, turnTokens?: number): void {
    this.stopThinking();
    this.flushNotes();
    if (this.answered) this.markdown('\n\n');
    const err = this.error;
    let fix: FixAction | undefined;
    if (err && err.kind !== 'cancelled') {
      this.markdown(`**${errorTitle(err.kind)}:** ${err.message}${err.action ? `\n\n${err.action}` : ''}\n\n`);
      fix = err.fix ?? defaultFix(err.kind);
    } else if (err?.kind === 'cancelled' || this.end?.finishReason === 'cancelled') {
      this.markdown('_Stopped: the request was cancelled._\n\n');
    }
    this.fileAnchors();
    const reasoningTokens = this.usage?.reasoning ? ` · ${formatInt(this.usage.reasoning)} reasoning tokens` : '';
    if (this.reasoning.trim()) {
      // The answer reads first; the reasoning is one line here and one click away in full.
      this.markdown(`_Reasoned for ${formatDuration(thinkingTime(this.end, this.reasoningMs))}${reasoningTokens}. "Show full reasoning" opens all of it in the sidebar._\n\n`);
    } else if (this.end?.privateReasoning) {
      const thought = this.end?.thinkingMs !== undefined ? `: thought for ${formatDuration(this.end.thinkingMs)}` : '';
      this.markdown(`_Reasoning is private on this endpoint${thought}${reasoningTokens}._\n\n`);
    }
    if (this.start) {
      const effort = this.start.effort ? ` · effort ${this.start.effort}` : '';
      this.markdown(`---\n${formatFooter({ endpoint: this.start.endpoint, model: this.start.model, usage: this.usage, cost: this.cost, ms: this.end?.ms })}${effort}\n`);
      if (this.meter) this.markdown(`\n${meterLine(this.meter)}\n`);
    }
    const fit = this.meter && turnTokens !== undefined && !err ? followupFit(this.meter, turnTokens) : undefined;
    if (fit && !fit.fits) {
      this.markdown(`\n**A follow-up will not fit:** ${fit.reason}. Summarize the earlier turns to keep going here, or start a new chat.\n`);
      this.button({ command: 'ponder.summarizeChatHistory', title: 'Summarize Earlier Turns' });
      this.button({ command: 'workbench.action.chat.newChat', title: 'New Chat' });
    }
    if (fix) this.button(fix);
    if (this.start) this.button({ command: 'ponder.showTrace', title: this.reasoning.trim() ? 'Show full reasoning' : 'Full trace in the sidebar', args: [requestId] });
  }

  /** "Read: a.ts · Edited: b.ts" with clickable anchors, for files inside the workspace only. */
  private fileAnchors(): void {
    for (const how of ['edited', 'read'] as const) {
      const files = [...this.toolFiles].filter(([, h]) => h === how).map(([f]) => f);
      const uris = files.map((f) => [f, this.resolveUri(f)] as const).filter((x): x is readonly [string, vscode.Uri] => !!x[1] && !x[0].includes('..'));
      if (!uris.length) continue;
      this.markdown(how === 'edited' ? 'Edited: ' : 'Read: ');
      uris.forEach(([rel, uri], i) => {
        this.stream.anchor(uri, rel);
        this.transcript.push(`[${rel}]`);
        if (i < uris.length - 1) this.markdown(', ');
      });
      this.markdown('\n\n');
    }
  }

  private button(fix: FixAction): void {
    this.buttons.push(fix.title);
    this.stream.button({ command: fix.command, title: fix.title, arguments: fix.args });
  }

  get failed(): EventOf<'error'> | undefined {
    return this.error;
  }

  get reasoningText(): string {
    return this.reasoning;
  }

  dispose(): void {
    this.stopThinking();
  }

  private inStretch = false;

  /** "Thinking… 12 s: <latest sentence>" when a new sentence is complete, at most every GIST_MS. */
  private showGist(): void {
    const gist = latestSentence(this.stretch);
    const now = this.now();
    if (!gist || gist === this.lastGist || now - this.lastGistAt < GIST_MS) return;
    this.lastGist = gist;
    this.lastGistAt = now;
    this.progress(`${thinkingLabel(this.reasoningStarted, now)}: ${gist}`);
  }

  private scheduleThinking(): void {
    const elapsed = (this.now() - this.reasoningStarted) / 1000;
    this.thinkingTimer = setTimeout(() => {
      const label = thinkingLabel(this.reasoningStarted, this.now());
      const gist = latestSentence(this.stretch);
      this.progress(this.privateReasoning && !this.reasoning ? `${label} (reasoning is private on this endpoint)` : gist ? `${label}: ${gist}` : label);
      if (gist) { this.lastGist = gist; this.lastGistAt = this.now(); }
      this.scheduleThinking();
    }, (nextThinkingTick(elapsed) - elapsed) * 1000);
  }

  private stopThinking(): void {
    if (this.thinkingTimer) clearTimeout(this.thinkingTimer);
    this.thinkingTimer = undefined;
    if (this.inStretch) this.reasoningMs += Math.max(0, this.now() - this.reasoningStarted);
    this.inStretch = false;
  }
}

/** Least time between two progress lines that show the reasoning's gist (each is a new line). */
const GIST_MS = 1500;

/** The `path` argument of a tool call, if it has one. */
function pathArgument(args: string): string | undefined {
  try {
    const v = JSON.parse(args) as { path?: unknown };
    return typeof v.path === 'string' && !v.path.startsWith('/') ? v.path.replace(/^\.\//, '') : undefined;
  } catch {
    return undefined;
  }
}

function shortArgs(args: string): string {
  const flat = args.replace(/\s+/g, ' ');
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

function errorTitle(kind: EventOf<'error'>['kind']): string {
  switch (kind) {
    case 'auth': return 'The endpoint refused the credentials';
    case 'balance': return 'Insufficient balance';
    case 'rate-limit': return 'Rate limited';
    case 'connection': return 'Could not reach the endpoint';
    case 'context-length': return 'Too long for the model';
    case 'config': return 'Configuration problem';
    case 'budget': return 'Over budget';
    case 'timeout': return 'The endpoint timed out';
    case 'content-filter': return 'Blocked by the content filter';
    default: return 'The request failed';
  }
}

/** When core names no fix, the obvious one for the kind of error. */
function defaultFix(kind: EventOf<'error'>['kind']): FixAction | undefined {
  switch (kind) {
    case 'auth': return { title: 'Set API Key', command: 'ponder.setApiKey' };
    case 'connection':
    case 'not-found': return { title: 'Select Endpoint', command: 'ponder.selectEndpoint' };
    case 'config': return { title: 'Open Settings', command: 'workbench.action.openSettings', args: ['ponder.endpoints'] };
    case 'budget': return { title: 'Open Budget Settings', command: 'workbench.action.openSettings', args: ['ponder.budget'] };
    default: return undefined;
  }
}
