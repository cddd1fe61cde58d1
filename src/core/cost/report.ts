import type { Pricing } from '../config/profile';
import { breakEven } from './breakEven';
import type { Budget } from './budget';
import { hasHourPrice, hasTokenPrices } from './pricing';
import type { ReportSnapshot } from './reportProtocol';
import { totals, type Bucket } from './totals';
import type { LedgerEntry } from './types';

/** What the report needs to know of a profile. */
export interface ReportProfile { id: string; label: string; provider: string; pricing?: Pricing }

/**
 * The cost report's content, from the ledger and the current profiles: totals, per endpoint and
 * workspace, the month's daily series, and for each self-hosted endpoint its break-even point.
 * `compare` maps a self-hosted endpoint to the profile whose API prices it is compared with.
 */
export function buildReport(entries: readonly LedgerEntry[], opts: {
  now: number; sessionId?: string; ledgerPath: string; profiles: readonly ReportProfile[]; budget: Budget;
  compare?: Readonly<Record<string, string>>;
}): ReportSnapshot {
  const t = totals(entries, { now: opts.now, sessionId: opts.sessionId });
  const profileById = new Map(opts.profiles.map((p) => [p.id, p]));
  const sourceOf = new Map<string, string>();
  const providerOf = new Map<string, string>();
  for (const e of entries) {
    sourceOf.set(e.endpoint, e.source);
    if (e.provider) providerOf.set(e.endpoint, e.provider);
  }
  const byAmount = (a: [string, Bucket], b: [string, Bucket]) => b[1].amount - a[1].amount || b[1].tokens.total - a[1].tokens.total;
  const byEndpoint = Object.entries(t.byEndpoint).sort(byAmount).map(([key, bucket]) => ({
    key, label: profileById.get(key)?.label ?? key, source: sourceOf.get(key) ?? 'unpriced', bucket,
  }));
  const apiChoices = opts.profiles.filter((p) => hasTokenPrices(p.pricing) && !hasHourPrice(p.pricing) && p.provider !== 'vllm');
  // Self-hosted: priced by the hour, a vLLM profile, or recorded with GPU-hour costs.
  const selfHostedIds = new Set<string>();
  for (const p of opts.profiles) if (hasHourPrice(p.pricing) || p.provider === 'vllm') selfHostedIds.add(p.id);
  for (const [id, src] of sourceOf) if (src === 'gpu-hour' || providerOf.get(id) === 'vllm') selfHostedIds.add(id);
  const selfHosted = [...selfHostedIds].map((id) => {
    const profile = profileById.get(id);
    const month = t.byEndpoint[id] ?? { amount: 0, requests: 0, unpriced: 0, tokens: { prompt: 0, cached: 0, cacheWrite: 0, completion: 0, reasoning: 0, total: 0 } };
    // The profile's own per-token prices first (what the same model costs as an API), else the chosen or first API profile.
    const chosen = opts.compare?.[id] ? profileById.get(opts.compare[id]) : undefined;
    const own = hasTokenPrices(profile?.pricing) ? profile : undefined;
    const api = chosen ?? own ?? apiChoices[0];
    const b = breakEven({ endpoint: id, month, serverPricing: profile?.pricing, apiPricing: api?.pricing, apiProfile: api?.id });
    return {
      endpoint: id, label: profile?.label ?? id, monthTokens: b.monthTokens, perHour: b.perHour, serverMonthly: b.serverMonthly,
      apiProfile: b.apiProfile, apiCostOfMonth: b.apiCostOfMonth, breakEvenTokens: b.breakEvenTokens, message: b.message,
      apiChoices: [...(own ? [own] : []), ...apiChoices.filter((p) => p !== own)].map((p) => ({ id: p.id, label: p.label })),
    };
  });
  return {
    type: 'snapshot', generatedAt: new Date(opts.now).toISOString(), ledgerPath: opts.ledgerPath,
    dayKey: t.dayKey, monthKey: t.monthKey, session: t.session, today: t.today, month: t.month,
    budget: { daily: opts.budget.daily, monthly: opts.budget.monthly, perRequest: opts.budget.perRequest },
    byEndpoint,
    byWorkspace: Object.entries(t.byWorkspace).sort(byAmount).map(([key, bucket]) => ({ key, bucket })),
    days: t.days, selfHosted,
  };
}
