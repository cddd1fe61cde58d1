import { canonicalArguments, parseArguments, toChatTool, type ChatTool } from './schema';
import { quotedLine } from '../terminalText';
import type { ApprovalPolicy } from './approval';
import type { RequestEmitter } from '../events';
import type { ApprovalDecision, ApprovalPreview, ToolCall, ToolContext, ToolDefinition, ToolDeps, ToolKind, ToolOutput } from './types';
import type { EditorPort } from '../editor/port';

/** Why the tool loop must end now: the next model turn is sent without tools. */
export type LoopStop = 'repeat' | 'output-budget' | 'cancelled';

export interface ToolRoundResult {
  /** One per call, in order: what goes back to the model as `tool` messages. */
  results: { call: ToolCall; content: string; ok: boolean }[];
  stop?: LoopStop;
}

/** How many word-for-word repeats the model is told about before the loop is stopped. */
const REPEATS_TOLERATED = 1;

export interface ToolRunnerOptions {
  tools: ToolDefinition[];
  host: EditorPort;
  deps: ToolDeps;
  emitter: RequestEmitter;
  approval: ApprovalPolicy;
  /** Total tokens of tool output sent back in this request (`ponder.tools.maxOutputTokens`). */
  maxOutputTokens: number;
  signal?: AbortSignal;
}

/**
 * Runs the model's tool calls for one request: validates arguments, refuses repeats, asks for
 * approval where needed, keeps the request's total tool output within its token budget, and
 * records every step as tool.call / tool.approval / tool.result events. Never throws for a bad
 * call: the model gets a clear error instead.
 */
export class ToolRunner {
  private readonly byName = new Map<string, ToolDefinition>();
  private readonly seen = new Set<string>();
  private repeats = 0;
  private outputTokens = 0;

  constructor(private readonly opts: ToolRunnerOptions) {
    for (const t of opts.tools) this.byName.set(t.name, t);
  }

  get tools(): ToolDefinition[] { return this.opts.tools; }

  private specCache?: ChatTool[];

  /** The tools in the Chat Completions shape, JSON schemas generated from the zod schemas (once). */
  specs(): ChatTool[] { return (this.specCache ??= this.opts.tools.map(toChatTool)); }

  /** Tokens of tool output sent back so far. */
  get outputTokensUsed(): number { return this.outputTokens; }

  /** `announced`: ids the model client already emitted tool.call events for. */
  async runRound(calls: ToolCall[], announced: ReadonlySet<string> = new Set()): Promise<ToolRoundResult> {
    const results: ToolRoundResult['results'] = [];
    let stop: LoopStop | undefined;
    for (const call of calls) {
      if (!announced.has(call.id)) this.opts.emitter.emit({ type: 'tool.call', id: call.id, name: call.name, arguments: call.arguments });
      const t0 = Date.now();
      let out: ToolOutput;
      if (this.opts.signal?.aborted) {
        out = { ok: false, content: 'Cancelled by the user before this call ran.', summary: 'cancelled', error: 'cancelled' };
        stop = 'cancelled';
      } else if (stop === 'output-budget' || this.outputTokens >= this.opts.maxOutputTokens) {
        out = this.budgetSpent();
        stop = 'output-budget';
      } else {
        out = await this.runOne(call);
        if (out.error === 'repeat' && this.repeats > REPEATS_TOLERATED) stop = stop ?? 'repeat';
      }
      // Ponder's own short notes (budget spent, cancelled) always get through; tool output is metered.
      const content = out.error === 'output budget' || out.error === 'cancelled' ? out.content : this.fitBudget(out.content);
      if (content !== out.content) stop = stop ?? 'output-budget';
      this.opts.emitter.emit({ type: 'tool.result', id: call.id, ok: out.ok, summary: out.summary, ms: Date.now() - t0, ...(out.error ? { error: out.error } : {}) });
      results.push({ call, content, ok: out.ok });
    }
    return { results, stop };
  }

  private budgetSpent(): ToolOutput {
    return {
      ok: false,
      content: `Not run: this request's tool output budget (${this.opts.maxOutputTokens} tokens, ponder.tools.maxOutputTokens) is used up. Answer with what you have.`,
      summary: 'tool output budget used up', error: 'output budget',
    };
  }

  /** Cuts output that would overrun the request's tool-output budget, with a marker saying so. */
  private fitBudget(content: string): string {
    const count = this.opts.deps.countTokens;
    const left = this.opts.maxOutputTokens - this.outputTokens;
    const tokens = count(content);
    if (tokens <= left) { this.outputTokens += tokens; return content; }
    const marker = `\n[… output truncated: this request's tool output budget (${this.opts.maxOutputTokens} tokens) is used up]`;
    const room = Math.max(0, left - count(marker));
    // Characters per token vary; rescale by the measured overshoot (one or two passes in practice).
    let cut = Math.floor(content.length * (room / tokens));
    for (let pass = 0; pass < 8 && cut > 0; pass++) {
      const n = count(content.slice(0, cut));
      if (n <= room) break;
      cut = pass < 7 ? Math.floor(cut * (room / n) * 0.97) : 0;
    }
    const final = content.slice(0, cut) + marker;
    this.outputTokens = this.opts.maxOutputTokens;
    return final;
  }

  private async runOne(call: ToolCall): Promise<ToolOutput> {
    const tool = this.byName.get(call.name);
    if (!tool) {
      const names = [...this.byName.keys()].join(', ') || 'none';
      return { ok: false, content: `Error: there is no tool named "${call.name}" in this request. Available tools: ${names}.`, summary: `unknown tool ${call.name}`, error: 'unknown tool' };
    }
    const parsed = parseArguments(tool.schema, call.arguments);
    if (!parsed.ok) {
      return { ok: false, content: `Error calling ${tool.name}: ${parsed.error}. Fix the arguments and call again.`, summary: `bad arguments: ${parsed.error}`, error: parsed.error };
    }
    const key = `${tool.name}\u0000${canonicalArguments(call.arguments)}`;
    if (this.seen.has(key)) {
      this.repeats++;
      return {
        ok: false,
        content: `You already called ${tool.name} with exactly these arguments in this request; its result is above. Do not repeat a call: use that result, try something different, or answer.`,
        summary: 'repeated call refused', error: 'repeat',
      };
    }
    this.seen.add(key);
    const ctx: ToolContext = {
      host: this.opts.host, deps: this.opts.deps, requestId: this.opts.emitter.requestId, call, signal: this.opts.signal,
      approve: (kind, preview) => this.approve(call, tool, kind, preview),
    };
    try {
      return await tool.run(parsed.value, ctx);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return { ok: false, content: `Error: ${tool.name} failed: ${msg}`, summary: `failed: ${msg}`, error: msg };
    }
  }

  private async approve(call: ToolCall, tool: ToolDefinition, kind: ToolKind, preview: ApprovalPreview): Promise<ApprovalDecision> {
    const { emitter, approval } = this.opts;
    const detail = preview.type === 'command' ? `${quotedLine(preview.command)}  (in ${preview.cwd})`
      : preview.type === 'tool' ? `${preview.server}: ${preview.tool} ${preview.arguments}`
        : `${preview.proposal.path}: +${preview.proposal.added} −${preview.proposal.removed} lines`;
    if (approval.needsUser(tool.name, preview)) emitter.emit({ type: 'tool.approval', id: call.id, state: 'asked', detail });
    const decision = await approval.decide({ requestId: emitter.requestId, call, tool: tool.name, kind, preview });
    emitter.emit({
      type: 'tool.approval', id: call.id, state: decision.allow ? 'granted' : 'denied', by: decision.by,
      detail: decision.reason ? `${detail} — ${decision.reason}` : detail,
    });
    return decision;
  }
}
