import type { PackedContext } from '../../context/types';
import type { ChatMessage, ResolvedProfile } from '../../model/types';
import { opaqueTokens, renderContext, userMessage } from '../messages';
import { meterTotal } from '../meter';
import type { RequestContext } from './context';
import { FRAMING_MARGIN, type PromptParts } from './prompt';

/** Stage: the conversation to send: instructions (in the profile's developer role), history, the user's message with the context. */
export function buildMessages(ctx: RequestContext, parts: PromptParts, profile: ResolvedProfile, packed: PackedContext | undefined): ChatMessage[] {
  return [
    { role: profile.developerRole, content: parts.instructions },
    ...parts.history.messages,
    { role: 'user', content: userMessage(ctx.input.prompt, renderContext(packed?.items ?? [], undefined, parts.focus), parts.focus) },
  ];
}

/** The prompt's tokens as sent: every message's text, opaque reasoning sent back, and the tool schemas. */
export function promptTokensOf(ctx: RequestContext, messages: readonly ChatMessage[], toolTokens: number): number {
  return messages.reduce((n, m) => n + ctx.count(typeof m.content === 'string' ? m.content : '') + (m.role === 'assistant' ? opaqueTokens(m.reasoningState?.value) : 0), 0) + toolTokens;
}

/** The context meter: where the prompt's tokens go, against the window and the output reserve. */
export function emitMeter(ctx: RequestContext, parts: PromptParts, profile: ResolvedProfile, messages: readonly ChatMessage[]): void {
  const { input, count } = ctx;
  const userTokens = count(String(messages[messages.length - 1].content ?? ''));
  const promptTokens = count(input.prompt);
  const repoTokens = parts.repoInstructions ? count(parts.repoInstructions) : 0;
  const meter = {
    instructions: Math.max(0, count(parts.instructions) - repoTokens), repoInstructions: repoTokens, history: parts.history.tokens, tools: parts.toolTokens,
    context: Math.max(0, userTokens - promptTokens), prompt: promptTokens + FRAMING_MARGIN,
  };
  ctx.emitter.emit({
    type: 'prompt.meter', window: profile.contextWindow, outputReserve: profile.maxOutputTokens, total: meterTotal(meter), parts: meter,
    historyAll: (input.history ?? []).reduce((n, t) => n + count(t.content) + 4, 0), historyBudget: input.historyTokens ?? 8000,
  });
}
