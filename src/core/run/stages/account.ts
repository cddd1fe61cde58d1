import { ledgerEntryFromEvents } from '../../cost/fromEvents';
import { costOfRequest } from '../../cost/pricing';
import type { CostResult } from '../../cost/types';
import type { EventOf, FinishReason, Usage } from '../../events';
import type { ResolvedProfile } from '../../model/types';
import type { TurnsOutput } from '../turns';
import type { RunResult } from '../types';
import type { RequestContext } from './context';

/** How a request ended: every way out of the pipeline gives one of these to `finishRequest`. */
export interface RequestEnd {
  finishReason: FinishReason;
  /** The profile that answered (or would have); undefined when routing failed before choosing one. */
  profile?: ResolvedProfile;
  error?: EventOf<'error'>;
  answer?: string;
  reasoning?: string;
  /** Absent when nothing was sent. */
  turns?: TurnsOutput;
}

const NO_USAGE: Usage = { prompt: 0, cached: 0, completion: 0, reasoning: 0, cacheWrite: 0 };

/**
 * What the turns so far cost on `profile`: the provider's figure where every turn reported one,
 * else the price table, else GPU hours over `durationMs`. Pure: an agent loop can call it before
 * each model turn to check a cost cap.
 */
export function costOfTurns(turns: Pick<TurnsOutput, 'usage' | 'providerCost'> | undefined, profile: ResolvedProfile | undefined, durationMs: number, finishReason?: FinishReason): CostResult {
  return costOfRequest({
    usage: turns?.usage ?? NO_USAGE, providerCost: turns?.providerCost, pricing: profile?.pricing, durationMs, endpoint: profile?.id,
    partial: finishReason === 'cancelled' ? 'cancelled' : finishReason === 'error' ? 'failed' : undefined,
  });
}

/**
 * Stage: account and finish, shared by every way out: usage → cost → request.end, then the
 * ledger line (`input.recordTo`). A request that never reached a server (refused, unknown host,
 * untrusted certificate) cost nothing: no usage, no cost, no ledger line, and it says so.
 */
export async function finishRequest(ctx: RequestContext, end: RequestEnd): Promise<RunResult> {
  const { emitter } = ctx;
  const profile = end.profile;
  const usage = end.turns?.usage ?? NO_USAGE;
  const ms = Math.max(0, ctx.deps.now() - ctx.startedAt);
  const unsent = !!end.turns && neverConnected(end.error, usage, end.answer ?? '', end.reasoning ?? '');
  const sent = !!end.turns && !unsent;
  if (unsent && profile) emitter.emit({ type: 'notice', level: 'info', message: `Nothing reached ${profile.baseUrl}, so nothing was billed.` });
  if (sent) emitter.emit({ type: 'usage', usage });
  const cost = costOfTurns(end.turns, profile, sent ? ms : 0, end.finishReason);
  if (sent) emitter.emit({ type: 'cost', amount: cost.amount, currency: 'USD', source: cost.source, breakdown: cost.breakdown, note: cost.note });
  // Reasoning that happened but was not shown (MAI on Foundry, or reasoning tokens with no text) is said, not left blank.
  const privateReasoning = sent && !end.reasoning && (usage.reasoning > 0 || (!!profile?.privateReasoning && !!end.answer));
  emitter.emit({
    type: 'request.end', finishReason: end.finishReason, ms, ...(end.turns?.firstTokenMs !== undefined ? { firstTokenMs: end.turns.firstTokenMs } : {}),
    ...(end.turns?.thinkingMs !== undefined ? { thinkingMs: end.turns.thinkingMs } : {}), ...(privateReasoning ? { privateReasoning: true } : {}),
  });
  if (sent) await recordRequest(ctx);
  return {
    requestId: ctx.requestId, answer: end.answer ?? '', reasoning: end.reasoning ?? '', finishReason: end.finishReason,
    ...(end.turns?.reasoningState && !end.error ? { reasoningState: end.turns.reasoningState } : {}),
    profile, usage, cost, error: end.error, events: ctx.events,
  };
}

/** The ledger line for the request's events so far (`input.recordTo`; the extension records from its trace store instead). */
export async function recordRequest(ctx: RequestContext): Promise<void> {
  const to = ctx.input.recordTo;
  if (!to) return;
  try {
    const entry = ledgerEntryFromEvents(ctx.events, { sessionId: to.sessionId, workspace: ctx.input.workspace?.name });
    if (entry) await to.ledger.append(entry);
  } catch (err) {
    ctx.log.warn(`could not record the request in the ledger ${to.ledger.file}: ${String(err)}`);
  }
}

/** The connection failed before any HTTP exchange: the request was never delivered, so it cannot have been billed. */
function neverConnected(error: EventOf<'error'> | undefined, usage: { prompt: number; completion: number }, answer: string, reasoning: string): boolean {
  if (!error || error.kind !== 'connection' || error.status !== undefined) return false;
  if (usage.prompt + usage.completion > 0 || answer || reasoning) return false;
  return /connection refused|could not be found|certificate .*not trusted/i.test(error.message);
}
