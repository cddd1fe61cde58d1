import type { Pricing } from '../config/profile';
import type { Settings } from '../config/settings';
import { checkBudget, smallerPromptBudget, type Budget, type BudgetCheck, type BudgetDecision, type BudgetWarning, type SpentSoFar } from './budget';
import type { Ledger } from './ledger';
import { spentFromSummary } from './ledgerSummary';
import { estimateRequest } from './pricing';
import type { Estimate } from './types';

export type BudgetRefusal = Extract<BudgetCheck, { ok: false }>;

/**
 * The port through which the runner asks the user: the extension shows "Send anyway / Send with a
 * smaller context / Cancel"; the CLI has no one to ask and cancels. `smallerPromptTokens` is null
 * when a smaller context would not fit either: do not offer that choice then.
 */
export type AskBudget = (refusal: BudgetRefusal, smallerPromptTokens: number | null) => Promise<BudgetDecision>;

export type PreflightResult =
  | { action: 'send'; estimate: Estimate; warnings: BudgetWarning[] }
  /** Re-pack the context so the whole prompt is at most `promptTokens`, then send without asking again. */
  | { action: 'send-smaller'; estimate: Estimate; promptTokens: number }
  /** `refused`: hard limit or no one to ask; `user`: the user chose Cancel. `message` is the error to show. */
  | { action: 'cancel'; estimate: Estimate; by: 'refused' | 'user'; limit: BudgetRefusal['limit']; message: string; spent: SpentSoFar };

export function budgetFromSettings(s: Pick<Settings, 'ponder.budget.perRequest' | 'ponder.budget.daily' | 'ponder.budget.monthly' | 'ponder.budget.hardLimit'>): Budget {
  return {
    perRequest: s['ponder.budget.perRequest'], daily: s['ponder.budget.daily'],
    monthly: s['ponder.budget.monthly'], hardLimit: s['ponder.budget.hardLimit'],
  };
}

/**
 * Before sending: the worst-case estimate from the packed prompt's exact tokens, checked against
 * the shared ledger's day and month; asks through `ask` when a limit would be crossed.
 * `pending`: USD already spent but not in the ledger yet (an agent task's earlier turns: the
 * ledger gets the task when it ends), counted in today's and this month's totals.
 */
export async function preflightBudget(args: {
  promptTokens: number; maxOutputTokens: number; pricing?: Pricing; endpoint?: string; durationMs?: number;
  ledger: Ledger; budget: Budget; now?: number; ask?: AskBudget; pending?: number;
}): Promise<PreflightResult> {
  const estimate = estimateRequest(args);
  const { budget } = args;
  if (budget.perRequest === null && budget.daily === null && budget.monthly === null) return { action: 'send', estimate, warnings: [] };
  const now = args.now ?? Date.now();
  // Through the ledger's running summary: the same few ms at any ledger length.
  const recorded = await spentFromSummary(args.ledger.file, now);
  const pending = args.pending ?? 0;
  const spent: SpentSoFar = pending ? { ...recorded, today: { amount: recorded.today.amount + pending }, month: { amount: recorded.month.amount + pending } } : recorded;
  const check = checkBudget({ estimate: estimate.amount, totals: spent, budget });
  if (check.ok) return { action: 'send', estimate, warnings: check.warnings };
  if (!check.canAsk || !args.ask) return { action: 'cancel', estimate, by: 'refused', limit: check.limit, message: check.message, spent };
  const smaller = smallerPromptBudget(check, args.maxOutputTokens, args.pricing);
  const decision = await args.ask(check, smaller !== null && smaller < args.promptTokens ? smaller : null);
  if (decision === 'send') return { action: 'send', estimate, warnings: check.warnings };
  if (decision === 'send-smaller' && smaller !== null && smaller < args.promptTokens) return { action: 'send-smaller', estimate, promptTokens: smaller };
  return { action: 'cancel', estimate, by: 'user', limit: check.limit, message: check.message, spent };
}
