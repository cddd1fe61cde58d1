import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { costOfRequest } from '../../core/cost/pricing';
import { RequestEmitter, type PonderEvent } from '../../core/events';
import { opaqueTokens } from '../../core/run/messages';
import { effortControl, isEffort, withEffort } from '../../core/model/effort';
import type { ReasoningEffort, ResolvedProfile, StreamTurnRequest, TurnResult } from '../../core/model/types';
import { encodeReasoningState, parseToolInput, REASONING_STATE_MIME, toOpenAiMessages, toOpenAiTools, type LmMessageLike } from './messages';

/** VS Code 1.139 has LanguageModelDataPart; the 1.104 typings do not: looked up at run time. */
const DataPart = (vscode as unknown as { LanguageModelDataPart?: new (data: Uint8Array, mimeType: string) => vscode.LanguageModelResponsePart }).LanguageModelDataPart;

/**
 * Ponder's endpoint profiles as VS Code language models (vendor `ponder`). Without a registered
 * model VS Code answers every chat request, `@ponder`'s too, with "Language model unavailable";
 * with it, Ponder's endpoints appear in the Chat view's model picker and other extensions can
 * use them through `vscode.lm`. Reasoning is not streamed here: VS Code 1.104's stable API has
 * no part for it (no LanguageModelThinkingPart), so only text and tool calls are reported.
 */
export interface LmProviderDeps {
  /** The configured profiles with presets applied (the default local vLLM when none). */
  profiles(): ResolvedProfile[];
  /** Where "Ponder (auto)" goes now: Select Endpoint's choice, else routing's default. */
  autoProfile(): ResolvedProfile;
  /** Key or Entra token for a profile; undefined when the profile needs none or none is stored. */
  credential(profile: ResolvedProfile): Promise<string | undefined>;
  streamTurn(request: StreamTurnRequest): Promise<TurnResult>;
  countTokens(text: string): number;
  /** Fires when profiles change (settings edited, key stored). */
  onDidChangeProfiles: vscode.Event<unknown>;
  /** Every event of a request made through `vscode.lm`, so the ledger and the sidebar see it. */
  sink?(event: PonderEvent): void;
}

/** The model that follows Select Endpoint and the routing rules, like `@ponder` does by default. */
export const AUTO_MODEL_ID = 'auto';

export interface PonderModelInfo extends vscode.LanguageModelChatInformation {
  readonly profileId: string;
}

/** 262144 -> "256K". */
export function formatWindow(tokens: number): string {
  return tokens >= 1024 ? `${Math.round(tokens / 1024)}K` : String(tokens);
}

export function modelInfoOf(p: ResolvedProfile, auto = false): PonderModelInfo {
  const model = p.model ?? 'server default';
  if (auto) {
    return {
      ...modelInfoOf(p), id: AUTO_MODEL_ID, profileId: AUTO_MODEL_ID, name: 'Ponder (auto)',
      detail: `now: ${p.label}`,
      tooltip: `Follows "Ponder: Select Endpoint" and the routing rules (ponder.routing). Now: ${p.label}, ${model} at ${p.baseUrl}.`,
    };
  }
  return {
    id: p.id,
    profileId: p.id,
    name: p.label,
    family: p.model ?? p.provider,
    version: p.model ?? 'default',
    detail: `${model} · ${formatWindow(p.contextWindow)}`,
    tooltip: `${p.label}: ${model} at ${p.baseUrl} (${p.provider}). Context ${formatWindow(p.contextWindow)}, output up to ${formatWindow(p.maxOutputTokens)}.`,
    maxInputTokens: Math.max(1, p.contextWindow - p.maxOutputTokens),
    maxOutputTokens: p.maxOutputTokens,
    capabilities: { toolCalling: true, imageInput: false },
  };
}

export class PonderLanguageModelProvider implements vscode.LanguageModelChatProvider<PonderModelInfo>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  private lastSignature = '';

  constructor(private readonly deps: LmProviderDeps, private readonly log: vscode.LogOutputChannel) {
    // Profile changes come with health updates on the same event: tell VS Code only when the models changed.
    this.subscription = deps.onDidChangeProfiles(() => {
      const signature = JSON.stringify(this.models());
      if (signature !== this.lastSignature) this.emitter.fire();
    });
  }

  private models(): PonderModelInfo[] {
    return [modelInfoOf(this.deps.autoProfile(), true), ...this.deps.profiles().map((p) => modelInfoOf(p))];
  }

  provideLanguageModelChatInformation(): PonderModelInfo[] {
    const models = this.models();
    this.lastSignature = JSON.stringify(models);
    return models;
  }

  private profileFor(model: PonderModelInfo): ResolvedProfile | undefined {
    return model.profileId === AUTO_MODEL_ID ? this.deps.autoProfile() : this.deps.profiles().find((p) => p.id === model.profileId);
  }

  async provideLanguageModelChatResponse(
    model: PonderModelInfo, messages: readonly vscode.LanguageModelChatRequestMessage[], options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>, token: vscode.CancellationToken,
  ): Promise<void> {
    const chosen = this.profileFor(model);
    if (!chosen) throw new Error(`Ponder has no endpoint profile "${model.profileId}" any more: pick another model or check "ponder.endpoints".`);
    // Another participant may ask for an effort: `modelOptions: { reasoningEffort: 'high' }` (or `reasoning_effort`).
    const effort = effortFromModelOptions(options.modelOptions);
    const profile = withEffort(chosen, effort);
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    const started = Date.now();
    const emitter = new RequestEmitter(randomUUID(), (e) => this.deps.sink?.(e));
    emitter.emit({ type: 'request.start', endpoint: profile.id, model: profile.model ?? 'server default', provider: profile.provider, command: 'vscode.lm', prompt: lastUserText(messages), ...(profile.privateReasoning ? { privateReasoning: true } : {}), ...(effortControl(profile) && profile.reasoningEffort ? { effort: profile.reasoningEffort } : {}) });
    try {
      const tools = toOpenAiTools(options.tools);
      const reported = new Set<string>();
      const reportCall = (id: string, name: string, args: string): void => {
        if (reported.has(id)) return;
        reported.add(id);
        const { input, error } = parseToolInput(args);
        if (error) this.log.warn(`Ponder model ${profile.id}: ${name} ${error}`);
        progress.report(new vscode.LanguageModelToolCallPart(id, name, input));
      };
      const required = options.toolMode === vscode.LanguageModelChatToolMode.Required && tools?.length;
      const result = await this.deps.streamTurn({
        profile,
        apiKey: await this.deps.credential(profile),
        messages: toOpenAiMessages(messages as readonly LmMessageLike[]),
        tools,
        signal: controller.signal,
        // A chat through VS Code goes on: keep the opaque reasoning state where there is one.
        keepReasoning: !!DataPart,
        ...(required ? { extraBody: { tool_choice: 'required' } } : {}),
        emit: (e) => {
          emitter.emit(e);
          if (e.type === 'content.delta') progress.report(new vscode.LanguageModelTextPart(e.text));
          else if (e.type === 'tool.call') reportCall(e.id, e.name, e.arguments);
        },
      });
      // Calls the stream did not announce as events still reach the caller, once each.
      for (const c of result.toolCalls) reportCall(c.id, c.name, c.arguments);
      // VS Code keeps the data part on the assistant message and hands it back in the next request.
      if (result.reasoningState && DataPart) progress.report(new DataPart(encodeReasoningState(result.reasoningState), REASONING_STATE_MIME));
      const ms = Date.now() - started;
      const usage = result.usage ?? { prompt: 0, cached: 0, completion: 0, reasoning: 0, cacheWrite: 0 };
      emitter.emit({ type: 'usage', usage });
      const cost = costOfRequest({ usage, providerCost: result.providerCost, pricing: profile.pricing, durationMs: ms, endpoint: profile.id });
      emitter.emit({ type: 'cost', amount: cost.amount, currency: 'USD', source: cost.source, breakdown: cost.breakdown, note: cost.note });
      const privateReasoning = !result.reasoning && (usage.reasoning > 0 || (profile.privateReasoning && !!(result.content || result.toolCalls.length)));
      emitter.emit({
        type: 'request.end', finishReason: result.finishReason, ms, ...(result.firstTokenMs !== undefined ? { firstTokenMs: result.firstTokenMs } : {}),
        ...(result.firstAnswerMs !== undefined ? { thinkingMs: Math.round(result.firstAnswerMs) } : {}), ...(privateReasoning ? { privateReasoning: true } : {}),
      });
      if (result.error && result.finishReason !== 'cancelled') {
        throw new Error([result.error.message, result.error.action].filter(Boolean).join(' '));
      }
    } finally {
      cancel.dispose();
    }
  }

  async provideTokenCount(_model: PonderModelInfo, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    if (typeof text === 'string') return this.deps.countTokens(text);
    const messages = toOpenAiMessages([text as LmMessageLike]);
    const flat = messages.map((m) => (typeof m.content === 'string' ? m.content : '') + ('tool_calls' in m && m.tool_calls ? JSON.stringify(m.tool_calls) : '')).join('\n');
    // Opaque reasoning state sent back counts toward the window (estimated, never tokenized).
    const opaque = messages.reduce((n, m) => n + (m.role === 'assistant' ? opaqueTokens(m.reasoningState?.value) : 0), 0);
    return this.deps.countTokens(flat) + 4 + opaque;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

/** `reasoningEffort` or `reasoning_effort` in a caller's model options, when it is low, medium or high. */
export function effortFromModelOptions(options: { readonly [name: string]: unknown } | undefined): ReasoningEffort | undefined {
  const v = options?.reasoningEffort ?? options?.reasoning_effort;
  return isEffort(v) ? v : undefined;
}

/** The last user text of a request, for the sidebar's history list. */
function lastUserText(messages: readonly vscode.LanguageModelChatRequestMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const text = toOpenAiMessages([messages[i] as LmMessageLike]).find((m) => m.role === 'user');
    if (text && typeof text.content === 'string') return text.content.slice(0, 500);
  }
  return '';
}
