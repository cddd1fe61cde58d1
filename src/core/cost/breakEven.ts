import type { Pricing } from '../config/profile';
import { formatUsd, hasTokenPrices, tablePrice } from './pricing';
import type { Bucket } from './totals';

/** Hours in an average month: a server that is never switched off. */
export const HOURS_PER_MONTH = 730;

export interface BreakEven {
  endpoint: string;
  /** Tokens (prompt + completion) the endpoint served this month. */
  monthTokens: number;
  perHour: number | null;
  hoursPerMonth: number;
  /** What the server costs for the month when it runs `hoursPerMonth`. */
  serverMonthly: number | null;
  /** Whose API prices the comparison uses (a profile id). */
  apiProfile: string | null;
  /** What this month's tokens would have cost at those API prices. */
  apiCostOfMonth: number | null;
  /** API USD per million tokens for this endpoint's mix of input and output. */
  apiUsdPerMTok: number | null;
  /** Above this many tokens a month, the server is cheaper than the API. */
  breakEvenTokens: number | null;
  /** No traffic yet: a 3:1 input:output mix was assumed. */
  mixAssumed: boolean;
  message: string;
}

/**
 * Self-hosted vs API: at `perHour` around the clock, how many tokens a month make the server the
 * cheaper choice, given API prices and this endpoint's own mix of prompt, cached and output tokens.
 */
export function breakEven(args: {
  endpoint: string; month: Bucket; serverPricing?: Pricing; apiPricing?: Pricing; apiProfile?: string; hoursPerMonth?: number;
}): BreakEven {
  const hours = args.hoursPerMonth ?? HOURS_PER_MONTH;
  const perHour = args.serverPricing?.perHour ?? null;
  const t = args.month.tokens;
  const monthTokens = t.prompt + t.completion;
  const base: BreakEven = {
    endpoint: args.endpoint, monthTokens, perHour, hoursPerMonth: hours,
    serverMonthly: perHour === null ? null : perHour * hours, apiProfile: args.apiProfile ?? null,
    apiCostOfMonth: null, apiUsdPerMTok: null, breakEvenTokens: null, mixAssumed: false, message: '',
  };
  const api = args.apiPricing;
  if (!hasTokenPrices(api)) {
    return { ...base, message: `This month: ${fmtTokens(monthTokens)} tokens. No API per-token price to compare with: add inputPerMTok and outputPerMTok to a profile's pricing and choose it here.` };
  }
  const mixAssumed = monthTokens === 0;
  const usage = mixAssumed
    ? { prompt: 750_000, cached: 0, cacheWrite: 0, completion: 250_000, reasoning: 0 }
    : { prompt: t.prompt, cached: t.cached, cacheWrite: t.cacheWrite, completion: t.completion, reasoning: t.reasoning };
  const sample = tablePrice(usage, api).amount;
  const perMTok = (sample / (usage.prompt + usage.completion)) * 1e6;
  const apiCostOfMonth = mixAssumed ? 0 : sample;
  const withApi = { ...base, mixAssumed, apiUsdPerMTok: perMTok, apiCostOfMonth };
  const against = `API prices${args.apiProfile ? ` of "${args.apiProfile}"` : ''} (${formatUsd(perMTok)}/M tokens for ${mixAssumed ? 'an assumed 3:1 input:output mix' : 'this endpoint\'s mix'})`;
  const month = `This month: ${fmtTokens(monthTokens)} tokens`;
  if (perHour === null) {
    return { ...withApi, message: `${month}${mixAssumed ? '' : `, ${formatUsd(apiCostOfMonth)} at ${against}`}. Set pricing.perHour on "${args.endpoint}" to see when the server pays off.` };
  }
  if (perMTok <= 0) {
    return { ...withApi, message: `${month}. The API prices are zero: the server never breaks even.` };
  }
  const breakEvenTokens = Math.ceil(((perHour * hours) / perMTok) * 1e6);
  return {
    ...withApi, breakEvenTokens,
    message: `At ${formatUsd(perHour)}/h (${hours} h/month: ${formatUsd(perHour * hours)}), your server is cheaper than ${against} above ${fmtTokens(breakEvenTokens)} tokens/month. ${month}${mixAssumed ? '' : `, ${formatUsd(apiCostOfMonth)} at those API prices`}.`,
  };
}

export function fmtTokens(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}K`;
  return String(n);
}
