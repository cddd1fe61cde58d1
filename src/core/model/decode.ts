import { z } from 'zod';
import type { Usage } from '../events';
import { ThinkSplitter } from './think';
import type { ModelEvent, ProviderCost, ToolCall } from './types';

/**
 * Turns Chat Completions stream chunks into Ponder events and the assembled turn. This is the
 * hot path (one call per chunk), so chunks are read with plain property checks rather than a
 * schema per chunk; unknown fields are ignored. The usage object, read once, goes through zod.
 */

interface PendingTool { id: string; name: string; args: string }

/** OpenAI usage with OpenRouter's additions; everything optional because servers differ. */
const WireUsageSchema = z.object({
  prompt_tokens: z.number().nonnegative().optional(),
  completion_tokens: z.number().nonnegative().optional(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish() }).partial().nullish(),
  completion_tokens_details: z.object({ reasoning_tokens: z.number().nullish() }).partial().nullish(),
  cache_write_tokens: z.number().nullish(),
  cost: z.number().nullish(),
  is_byok: z.boolean().nullish(),
  cost_details: z.object({ upstream_inference_cost: z.number().nullish() }).partial().nullish(),
});

type Detail = Record<string, unknown> & { index?: number; type?: string; text?: string; summary?: string; data?: string };

export class TurnDecoder {
  content = '';
  reasoning = '';
  finishReason: string | undefined;
  /** Set at the first reasoning, content or tool-call byte: from then on nothing is retried. */
  firstTokenAt: number | undefined;
  /** Set at the first content or tool-call byte: the end of the thinking. */
  firstAnswerAt: number | undefined;
  /**
   * An opaque reasoning object (`delta.reasoning` with `encrypted_content`, MAI on Foundry), kept
   * exactly as received to be sent back; never emitted, never read beyond its shape.
   */
  reasoningState: unknown;
  private readonly tools = new Map<number, PendingTool>();
  private details: Detail[] | undefined;
  private rawUsage: unknown;
  /**
   * An error a server put in the stream without OpenAI's `error` wrapper (older vLLM and FastAPI
   * servers: `{"object": "error", "message": ...}`): the SDK passes it on as if it were a chunk.
   */
  streamError: { message: string; code?: unknown } | undefined;
  private readonly think: ThinkSplitter;

  constructor(private readonly emit: (e: ModelEvent) => void, private readonly now: () => number = () => performance.now()) {
    this.think = new ThinkSplitter({
      reasoning: (text) => { this.reasoning += text; this.emit({ type: 'reasoning.delta', text }); },
      content: (text) => { this.content += text; this.emit({ type: 'content.delta', text }); },
    });
  }

  get started(): boolean { return this.firstTokenAt !== undefined; }
  get receivedChars(): number { return this.content.length + this.reasoning.length + [...this.tools.values()].reduce((n, t) => n + t.args.length, 0); }

  push(chunk: unknown): void {
    const c = chunk as { choices?: unknown; usage?: unknown; object?: unknown; message?: unknown; code?: unknown };
    if (c.choices === undefined && (c.object === 'error' || (c.object === undefined && typeof c.message === 'string'))) {
      this.streamError ??= { message: typeof c.message === 'string' && c.message ? c.message : 'no details', ...(c.code !== undefined ? { code: c.code } : {}) };
      return;
    }
    if (c.usage) this.rawUsage = c.usage;
    const choices = c.choices as Array<{ delta?: Record<string, unknown>; finish_reason?: unknown }> | undefined;
    // Azure's first chunk (prompt_filter_results) and the usage chunk have no choices.
    if (!Array.isArray(choices) || choices.length === 0) return;
    const choice = choices[0];
    const d = choice.delta;
    if (d) {
      // vLLM now and OpenRouter send `reasoning`; older vLLM and DeepSeek-style APIs `reasoning_content`.
      // OpenRouter sends the text both as `reasoning` and inside `reasoning_details`: count it once.
      let text = typeof d.reasoning === 'string' ? d.reasoning : typeof d.reasoning_content === 'string' ? d.reasoning_content : undefined;
      // An object (MAI on Foundry): the opaque state to send back, and a summary or content only if the endpoint gives one.
      if (d.reasoning && typeof d.reasoning === 'object' && !Array.isArray(d.reasoning)) {
        const r = d.reasoning as { encrypted_content?: unknown; summary?: unknown; content?: unknown };
        if (typeof r.encrypted_content === 'string' && r.encrypted_content) this.reasoningState = d.reasoning;
        const shown = typeof r.summary === 'string' && r.summary ? r.summary : typeof r.content === 'string' && r.content ? r.content : undefined;
        if (shown) text = shown;
      }
      const details = Array.isArray(d.reasoning_details) ? (d.reasoning_details as Detail[]) : undefined;
      if (details && details.length) this.addDetails(details, text === undefined);
      if (text) this.onReasoning(text);
      if (typeof d.content === 'string' && d.content) {
        this.mark();
        this.firstAnswerAt ??= this.now();
        this.think.push(d.content);
      }
      if (Array.isArray(d.tool_calls)) this.addToolFragments(d.tool_calls);
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  private mark(): void {
    if (this.firstTokenAt === undefined) this.firstTokenAt = this.now();
  }

  private onReasoning(text: string): void {
    this.mark();
    this.reasoning += text;
    this.emit({ type: 'reasoning.delta', text });
  }

  /** Structured blocks arrive as fragments; fragments of one block (same index) are joined. */
  private addDetails(fragments: Detail[], emitText: boolean): void {
    this.details ??= [];
    for (const f of fragments) {
      if (!f || typeof f !== 'object') continue;
      const key = typeof f.index === 'number' ? f.index : this.details.length;
      const prev = this.details.find((b) => b.index === key && b.type === f.type);
      if (prev) {
        for (const field of ['text', 'summary', 'data'] as const) if (typeof f[field] === 'string') prev[field] = ((prev[field] as string | undefined) ?? '') + f[field];
        for (const [k, v] of Object.entries(f)) if (!['text', 'summary', 'data', 'index', 'type'].includes(k) && v !== undefined && v !== null) prev[k] = v;
      } else {
        this.details.push({ ...f, index: key });
      }
      if (emitText) {
        const t = typeof f.text === 'string' ? f.text : typeof f.summary === 'string' ? f.summary : '';
        if (t) this.onReasoning(t);
      }
    }
  }

  private addToolFragments(fragments: unknown[]): void {
    for (const raw of fragments) {
      const f = raw as { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } };
      this.mark();
      this.firstAnswerAt ??= this.now();
      // Some servers omit `index` when they send one call per chunk: then `id` identifies it.
      let index = typeof f.index === 'number' ? f.index : undefined;
      if (index === undefined) {
        const byId = typeof f.id === 'string' ? [...this.tools.entries()].find(([, t]) => t.id === f.id)?.[0] : undefined;
        index = byId ?? (typeof f.id === 'string' ? this.tools.size : Math.max(0, this.tools.size - 1));
      }
      let t = this.tools.get(index);
      if (!t) { t = { id: '', name: '', args: '' }; this.tools.set(index, t); }
      if (typeof f.id === 'string' && f.id && !t.id) t.id = f.id;
      if (f.function) {
        if (typeof f.function.name === 'string' && f.function.name && !t.name) t.name = f.function.name;
        if (typeof f.function.arguments === 'string') t.args += f.function.arguments;
      }
    }
  }

  /** Held-back text (a possible partial `</think>`) is released when the stream ends. */
  flush(): void { this.think.flush(); }

  /** Tool calls in index order; a call whose arguments are not complete JSON is listed separately. */
  toolCalls(): { complete: ToolCall[]; incomplete: ToolCall[] } {
    const complete: ToolCall[] = [];
    const incomplete: ToolCall[] = [];
    const sorted = [...this.tools.entries()].sort((a, b) => a[0] - b[0]);
    sorted.forEach(([index, t]) => {
      const call = { id: t.id || `call_${index}`, name: t.name, arguments: t.args || '{}' };
      (t.name && isJson(call.arguments) ? complete : incomplete).push(call);
    });
    return { complete, incomplete };
  }

  get reasoningDetails(): unknown[] | undefined { return this.details; }

  usage(): { usage?: Usage; providerCost?: ProviderCost } {
    if (!this.rawUsage) return {};
    const parsed = WireUsageSchema.safeParse(this.rawUsage);
    if (!parsed.success) return {};
    const u = parsed.data;
    const usage: Usage = {
      prompt: Math.round(u.prompt_tokens ?? 0),
      cached: Math.round(u.prompt_tokens_details?.cached_tokens ?? 0),
      completion: Math.round(u.completion_tokens ?? 0),
      reasoning: Math.round(u.completion_tokens_details?.reasoning_tokens ?? 0),
      cacheWrite: Math.round(u.prompt_tokens_details?.cache_write_tokens ?? u.cache_write_tokens ?? 0),
    };
    const hasCost = u.cost != null || u.cost_details?.upstream_inference_cost != null || u.is_byok != null;
    const providerCost = hasCost
      ? { cost: u.cost ?? undefined, upstreamCost: u.cost_details?.upstream_inference_cost ?? undefined, isByok: u.is_byok ?? undefined }
      : undefined;
    return { usage, providerCost };
  }
}

function isJson(s: string): boolean {
  try { JSON.parse(s); return true; } catch { return false; }
}
