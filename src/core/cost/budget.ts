import type { Pricing } from '../config/profile';
import { formatUsd, largestPromptWithin, roundUsd } from './pricing';

/** `ponder.budget.*` in USD; null = no limit. */
export interface Budget {
  perRequest: number | null;
  daily: number | null;
  monthly: number | null;
  /** Refuse instead of asking. */
  hardLimit: boolean;
}

export type BudgetLimit = 'perRequest' | 'daily' | 'monthly';

/** Spend so far: `Totals` from totals() fits. */
export interface SpentSoFar { today: { amount: number }; month: { amount: number }; dayKey?: string; monthKey?: string }

/** At 80% of a daily or monthly budget; `key` ("daily:2026-11-22") lets the UI warn once per period. */
export interface BudgetWarning { limit: 'daily' | 'monthly'; key: string; spent: number; budget: number; message: string }

export type BudgetCheck =
  | { ok: true; warnings: BudgetWarning[] }
  | {
    ok: false; limit: BudgetLimit; message: string;
    /** False under `ponder.budget.hardLimit`: refuse, don't ask. */
    canAsk: boolean;
    /** The most this request may cost and still fit every limit (0 when nothing fits). */
    allowedUsd: number;
    warnings: BudgetWarning[];
  };

/** What the user chose when asked. */
export type BudgetDecision = 'send' | 'send-smaller' | 'cancel';

export const WARN_AT = 0.8;

/**
 * Would sending a request of worst-case cost `estimate` cross a budget? Checked against the
 * ledger's totals, which every window shares. An unknown estimate (no price) cannot cross the
 * per-request limit, but a day or month already spent still stops it.
 */
export function checkBudget(args: { estimate: number | null; totals: SpentSoFar; budget: Budget }): BudgetCheck {
  const { budget, totals } = args;
  const est = args.estimate ?? 0;
  const headroom: Array<{ limit: BudgetLimit; left: number; message: string }> = [];
  if (budget.perRequest !== null && args.estimate !== null) {
    headroom.push({
      limit: 'perRequest', left: budget.perRequest,
      message: `This request may cost up to ${formatUsd(est)}, over the per-request budget of ${formatUsd(budget.perRequest)} (ponder.budget.perRequest).`,
    });
  }
  if (budget.daily !== null) {
    headroom.push({
      limit: 'daily', left: roundUsd(budget.daily - totals.today.amount),
      message: `Today's spend is ${formatUsd(totals.today.amount)} of the ${formatUsd(budget.daily)} daily budget (ponder.budget.daily); this request may cost up to ${formatUsd(est)}.`,
    });
  }
  if (budget.monthly !== null) {
    headroom.push({
      limit: 'monthly', left: roundUsd(budget.monthly - totals.month.amount),
      message: `This month's spend is ${formatUsd(totals.month.amount)} of the ${formatUsd(budget.monthly)} monthly budget (ponder.budget.monthly); this request may cost up to ${formatUsd(est)}.`,
    });
  }
  const warnings = budgetWarnings(totals, budget, est);
  // A limit already reached stops even a request of unknown cost; otherwise the estimate must fit.
  const crossed = headroom.find((h) => (args.estimate === null ? h.left <= 0 : est > h.left + 1e-12));
  if (!crossed) return { ok: true, warnings };
  const allowedUsd = Math.max(0, Math.min(...headroom.map((h) => h.left)));
  return {
    ok: false, limit: crossed.limit, canAsk: !budget.hardLimit, allowedUsd, warnings,
    message: crossed.message + (budget.hardLimit ? ' Refused: ponder.budget.hardLimit is on.' : ''),
  };
}

/** Daily/monthly budgets at or past 80% once this request's cost is added. */
export function budgetWarnings(totals: SpentSoFar, budget: Budget, addition = 0): BudgetWarning[] {
  const out: BudgetWarning[] = [];
  const check = (limit: 'daily' | 'monthly', cap: number | null, spent: number, period: string | undefined) => {
    if (cap === null || cap <= 0) return;
    const after = spent + addition;
    if (after < WARN_AT * cap) return;
    const pct = Math.round((after / cap) * 100);
    out.push({
      limit, key: `${limit}:${period ?? ''}`, spent: after, budget: cap,
      message: `Ponder has used ${pct}% of your ${limit} budget: ${formatUsd(after)} of ${formatUsd(cap)} (ponder.budget.${limit}).`,
    });
  };
  check('daily', budget.daily, totals.today.amount, totals.dayKey);
  check('monthly', budget.monthly, totals.month.amount, totals.monthKey);
  return out;
}

/**
 * Lets each warning through once per period (day or month). Keep one per window; persist `seen`
 * (e.g. in globalState) to keep it once across reloads too.
 */
export class WarningGate {
  private readonly seen: Set<string>;
  constructor(seen: Iterable<string> = []) { this.seen = new Set(seen); }
  pass(warnings: BudgetWarning[]): BudgetWarning[] {
    const fresh = warnings.filter((w) => !this.seen.has(w.key));
    for (const w of fresh) this.seen.add(w.key);
    return fresh;
  }
  keys(): string[] { return [...this.seen]; }
}

/**
 * "Send with a smaller context": the largest prompt, in tokens, whose worst-case cost fits what
 * is left (`allowedUsd` of a refused check). Null when even an empty prompt would not fit, or
 * the price does not depend on the prompt (GPU-hour) or is unknown. The caller re-packs context
 * to this many tokens minus its fixed prompt part.
 */
export function smallerPromptBudget(check: BudgetCheck, maxOutputTokens: number, pricing: Pricing | undefined): number | null {
  if (check.ok) return null;
  return largestPromptWithin(check.allowedUsd, maxOutputTokens, pricing);
}
