import { preflightBudget } from '../../cost/preflight';
import type { EventBody } from '../../events';
import type { ChatMessage } from '../../model/types';
import type { RequestRouter } from '../router';
import type { BudgetConfig } from '../types';
import type { RequestContext } from './context';
import { buildMessages, promptTokensOf } from './messages';
import { emitPacked, type PackResult } from './pack';
import type { PromptParts } from './prompt';
import { repack } from './repack';

/** The request as it would be sent now: its packed context and messages (the profile is the router's). */
export interface Draft {
  pack: PackResult;
  messages: ChatMessage[];
}

export type BudgetOutcome =
  | { action: 'send'; draft: Draft }
  /** The user chose Cancel (a notice says so). */
  | { action: 'cancelled' }
  /** Over a hard limit, or no one to ask. */
  | { action: 'refused'; error: EventBody<'error'> };

/**
 * Stage: the budget check before sending. Over budget with fallbacks in the route, the router
 * moves to them first (a cheaper or self-hosted profile) before anyone is asked; then the
 * estimate for the final profile is checked once more, asking through `budget.confirm`.
 */
export async function checkBudget(
  ctx: RequestContext, budget: BudgetConfig, router: RequestRouter, parts: PromptParts, draft: Draft, contextBudgetFor: (p: RequestRouter['profile']) => number,
): Promise<BudgetOutcome> {
  const { emitter } = ctx;
  const preflight = (promptTokens: number, ask: boolean) => preflightBudget({
    promptTokens, maxOutputTokens: router.profile.maxOutputTokens,
    pricing: router.profile.pricing, endpoint: router.profile.id, ledger: budget.ledger, budget: budget.budget,
    ...(ask ? { ask: budget.confirm } : {}),
  });
  while (router.route) {
    if ((await preflight(promptTokensOf(ctx, draft.messages, parts.toolTokens), false)).action === 'send') break;
    const next = router.decide({ on: 'over-budget', packedTokens: draft.pack.packed?.used ?? 0 });
    if (next.action === 'keep') break;
    if (next.notice) emitter.emit({ type: 'notice', ...next.notice });
    let pack = draft.pack;
    if (next.repack) {
      pack = await repack(ctx, pack, contextBudgetFor(router.profile));
      emitPacked(ctx, pack.packed, router.profile);
    }
    draft = { pack, messages: buildMessages(ctx, parts, router.profile, pack.packed) };
  }
  const promptTokens = promptTokensOf(ctx, draft.messages, parts.toolTokens);
  const pre = await preflight(promptTokens, true);
  if (pre.action === 'cancel') {
    if (pre.by === 'user') {
      emitter.emit({ type: 'notice', level: 'info', message: `Not sent: ${pre.message}` });
      return { action: 'cancelled' };
    }
    return { action: 'refused', error: { type: 'error', kind: 'budget', message: pre.message, action: 'Raise the budget in settings (ponder.budget.*), ask a smaller question, or wait for the next period.' } };
  }
  if (pre.action === 'send-smaller') {
    const smaller = pre.promptTokens - (promptTokens - (draft.pack.packed?.used ?? 0));
    const pack = await repack(ctx, draft.pack, Math.max(0, smaller));
    emitter.emit({ type: 'notice', level: 'info', message: `Context repacked to ${pack.packed?.used ?? 0} tokens so the request fits the budget.` });
    emitPacked(ctx, pack.packed, router.profile);
    return { action: 'send', draft: { pack, messages: buildMessages(ctx, parts, router.profile, pack.packed) } };
  }
  for (const w of pre.warnings) emitter.emit({ type: 'notice', level: 'warning', message: w.message });
  return { action: 'send', draft };
}
