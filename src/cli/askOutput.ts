import * as readline from 'node:readline';
import { formatUsd } from '../core/cost/pricing';
import { formatCount as n } from '../core/format/count';
import type { PonderEvent } from '../core/events';
import { meterLine } from '../core/run/meterText';
import type { AskBudget } from '../core/cost/preflight';
import type { ApprovalPort, ApprovalRequest } from '../core/tools/types';
import { hasHiddenCharacters, quotedLine, visibleControls as v } from '../core/terminalText';

/**
 * How `ponder ask` shows a request in a terminal: the answer alone on stdout (pipe-friendly),
 * everything else on stderr — the endpoint and why, the reasoning (dimmed on a terminal, after a
 * "Thinking…" label), tool calls and approvals, notices, errors, and the cost line at the end.
 * Every value from outside (model text, names, paths, server messages) goes through `v`, so its
 * control characters print as escapes and cannot repaint the terminal.
 */
export class TerminalRenderer {
  private mode: 'none' | 'reasoning' | 'content' = 'none';
  private answerEndsWithNewline = true;
  private reasoningTokens = 0;

  constructor(private readonly out: (t: string) => void, private readonly err: (t: string) => void, private readonly color: boolean) {}

  private dim(t: string): string { return this.color ? `\x1b[2m${t}\x1b[22m` : t; }
  private bold(t: string): string { return this.color ? `\x1b[1m${t}\x1b[22m` : t; }

  /** Ends a reasoning run on stderr before anything else is printed there. */
  private breakLine(): void {
    if (this.mode === 'reasoning') this.err('\n');
    this.mode = 'none';
  }

  render(e: PonderEvent): void {
    switch (e.type) {
      case 'request.start': {
        const route = e.route ? ` · ${e.route.rule}: ${e.route.reason}` : '';
        this.err(this.dim(`ponder: endpoint ${v(e.endpoint)} (${v(e.model)})${e.effort ? ` · effort ${v(e.effort)}` : ''}${v(route)}\n`));
        if (e.privateReasoning) this.err(this.dim('Thinking… (reasoning is private on this endpoint)\n'));
        break;
      }
      case 'context.packed':
        this.err(this.dim(`ponder: context ${e.items.length} item${e.items.length === 1 ? '' : 's'}, ${n(e.used)} of ${n(e.budget)} tokens${e.partial ? ' (partial)' : ''}${e.withheld.length ? `, ${e.withheld.length} withheld` : ''}\n`));
        break;
      case 'prompt.meter':
        this.err(this.dim(`ponder: ${meterLine(e)}\n`));
        break;
      case 'reasoning.delta':
        if (this.mode !== 'reasoning') {
          if (this.mode === 'content' && !this.answerEndsWithNewline) this.out('\n');
          this.err(this.dim('Thinking… '));
          this.mode = 'reasoning';
        }
        this.err(this.dim(v(e.text)));
        break;
      case 'content.delta':
        this.breakLine();
        this.mode = 'content';
        this.out(v(e.text));
        if (e.text) this.answerEndsWithNewline = e.text.endsWith('\n');
        break;
      case 'tool.call':
        this.breakLine();
        this.err(`→ ${this.bold(v(e.name))} ${v(e.arguments.length > 200 ? e.arguments.slice(0, 200) + '…' : e.arguments)}\n`);
        break;
      case 'tool.approval':
        if (e.state !== 'asked') this.err(`  ${e.state === 'granted' ? 'allowed' : 'denied'}${e.by ? ` by ${e.by}` : ''}${e.detail ? `: ${v(e.detail)}` : ''}\n`);
        break;
      case 'tool.result':
        this.err(`  ${e.ok ? '✓' : '✗'} ${v(e.summary)} (${Math.round(e.ms)} ms)\n`);
        break;
      case 'retry':
        this.breakLine();
        this.err(`ponder: retry ${e.attempt} in ${(e.delayMs / 1000).toFixed(1)} s: ${v(e.cause)}\n`);
        break;
      case 'notice':
        this.breakLine();
        this.err(`ponder: ${e.level === 'warning' ? 'warning: ' : ''}${v(e.message)}\n`);
        break;
      case 'error':
        this.breakLine();
        this.err(`ponder: error (${e.kind}${e.status ? ` ${e.status}` : ''}): ${v(e.message)}\n${e.action ? `  what to do: ${v(e.action)}\n` : ''}`);
        break;
      case 'usage': {
        if (this.mode === 'content' && !this.answerEndsWithNewline) { this.out('\n'); this.answerEndsWithNewline = true; }
        this.breakLine();
        const u = e.usage;
        this.reasoningTokens = u.reasoning;
        this.err(this.dim(`ponder: tokens ${n(u.prompt)} prompt${u.cached ? ` (${n(u.cached)} cached)` : ''} + ${n(u.completion)} completion${u.reasoning ? ` (${n(u.reasoning)} reasoning)` : ''}\n`));
        break;
      }
      case 'cost':
        // Unpriced: the note says so and where to add a price ("price not set: add ...") once.
        if (e.amount === null) this.err(`ponder: cost unknown: ${v(e.note ?? 'price not set')}\n`);
        else this.err(`ponder: cost ${formatUsd(e.amount)} (${e.source})${e.note ? ` · ${v(e.note)}` : ''}\n`);
        break;
      case 'request.end':
        this.breakLine();
        if (this.mode === 'content' && !this.answerEndsWithNewline) this.out('\n');
        if (e.privateReasoning) {
          // Under 0.1 s there was no thinking to speak of ("thought for 0.0 s" beside "first token
          // after 1.0 s", which also counts packing the context, reads as a contradiction).
          const thought = e.thinkingMs !== undefined && e.thinkingMs >= 100 ? `: thought for ${(e.thinkingMs / 1000).toFixed(1)} s` : '';
          this.err(this.dim(`ponder: reasoning is private on this endpoint${thought}${this.reasoningTokens ? `, ${n(this.reasoningTokens)} reasoning tokens` : ''}\n`));
        }
        this.err(this.dim(`ponder: ${e.finishReason} in ${(e.ms / 1000).toFixed(1)} s${e.firstTokenMs !== undefined ? `, first token after ${(e.firstTokenMs / 1000).toFixed(1)} s` : ''}\n`));
        break;
      default:
        break;
    }
  }
}

/**
 * Approval on an interactive terminal: shows the exact diff or command and working directory,
 * then asks. Anything but y / a is a no. Only used when stdin and stderr are TTYs.
 */
export class TtyApproval implements ApprovalPort {
  constructor(private readonly input: NodeJS.ReadableStream, private readonly err: (t: string) => void) {}

  async request(r: ApprovalRequest): Promise<{ allow: boolean; forSession?: boolean; by: 'user' }> {
    if (r.preview.type === 'edit') {
      const p = r.preview.proposal;
      if (p.operation === 'rename') this.err(`\nThe model wants to rename ${v(p.from ?? '')} to ${v(p.path)}\n`);
      else if (p.operation === 'delete') this.err(`\nThe model wants to delete ${v(p.path)} (−${p.removed} lines)\n`);
      else this.err(`\nThe model proposes ${p.exists ? 'an edit to' : 'a new file'} ${v(p.path)} (+${p.added} −${p.removed}):\n${v(p.diff)}\n`);
    } else if (r.preview.type === 'tool') {
      this.err(`\nThe model wants to call ${v(r.preview.tool)} of the MCP server "${v(r.preview.server)}" with:\n  ${v(r.preview.arguments)}\n`);
    } else {
      // The exact command on one quoted line: nothing in it can break the line or repaint the screen.
      const cmd = r.preview.command;
      const hidden = hasHiddenCharacters(cmd) ? '  (it contains line breaks, control or invisible characters: shown escaped)\n' : '';
      this.err(`\nThe model wants to run, in ${v(r.preview.cwd)}:\n  $ ${quotedLine(cmd)}\n${hidden}`);
    }
    if (r.preview.type === 'command') this.err(`  ([a]lways allows this exact command in ${v(r.preview.cwd)} again, no other)\n`);
    const answer = (await this.ask(`Allow ${v(r.tool)}? [y]es / [n]o / [a]lways this session: `)).trim().toLowerCase();
    if (answer === 'a' || answer === 'always') return { allow: true, forSession: true, by: 'user' };
    return { allow: answer === 'y' || answer === 'yes', by: 'user' };
  }

  private ask(question: string): Promise<string> {
    return askLine(this.input, this.err, question);
  }
}

/** One line of input after a question; '' when the input ends. */
export function askLine(input: NodeJS.ReadableStream, err: (t: string) => void, question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input, terminal: false });
    // Listen before asking: an answer already typed (or piped) must not be lost.
    rl.once('line', (line) => { resolve(line); rl.close(); });
    rl.once('close', () => resolve(''));
    err(question);
  });
}

/** Over budget at a terminal: send anyway, send with a smaller context (when one fits), or cancel. */
export function ttyBudgetPrompt(input: NodeJS.ReadableStream, err: (t: string) => void): AskBudget {
  return async (refusal, smallerPromptTokens) => {
    err(`\n${refusal.message}\n`);
    const smaller = smallerPromptTokens !== null ? ` / send with a s[m]aller context (≤ ${smallerPromptTokens} prompt tokens)` : '';
    const answer = (await askLine(input, err, `[s]end anyway${smaller} / [c]ancel: `)).trim().toLowerCase();
    if (answer === 's' || answer === 'send') return 'send';
    if (smallerPromptTokens !== null && (answer === 'm' || answer === 'smaller')) return 'send-smaller';
    return 'cancel';
  };
}
