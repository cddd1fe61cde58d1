import type { Pricing } from '../config/profile';
import type { Usage } from '../events';
import type { CostRequest, CostResult, Estimate, EstimateRequest } from './types';
import { formatUsd } from '../format/money';

export { formatUsd };

const PER_M = 1_000_000;
const HOUR_MS = 3_600_000;

/** Float noise (0.1 + 0.2) would show up in CSV and totals; a nano-dollar is finer than any bill. */
export function roundUsd(n: number): number {
  return Math.round(n * 1e9) / 1e9;
}

export function hasTokenPrices(p: Pricing | undefined): p is Pricing & { inputPerMTok: number; outputPerMTok: number } {
  return p?.inputPerMTok !== undefined && p.outputPerMTok !== undefined;
}

export function hasHourPrice(p: Pricing | undefined): p is Pricing & { perHour: number } {
  return p?.perHour !== undefined;
}

/**
 * The cost of one finished (or cancelled, or failed) request. Order of trust: what the provider
 * reported, then the server's time at the profile's hourly price (a self-hosted server costs its
 * time whatever the tokens), then the profile's per-token price table; otherwise unpriced.
 */
export function costOfRequest(req: CostRequest): CostResult {
  // A negative, infinite or non-numeric figure from the server is refused (it would lower or
  // poison the totals): the request is priced as if none had been reported, and says so.
  const bad = req.providerCost && [req.providerCost.cost, req.providerCost.upstreamCost].find((v) => v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0));
  if (bad !== undefined) {
    const rest = costOfRequest({ ...req, providerCost: undefined });
    const why = `the provider reported a cost of ${String(bad)}, which is not a valid amount, so it was not used`;
    return { ...rest, note: rest.note ? `${why}; ${rest.note}` : why };
  }
  const result = req.providerCost && (req.providerCost.cost !== undefined || req.providerCost.upstreamCost !== undefined)
    ? fromProvider(req.providerCost)
    : hasHourPrice(req.pricing)
      ? fromHours(req.pricing, req.durationMs)
      : hasTokenPrices(req.pricing)
        ? fromTable(req.usage, req.pricing)
        : unpriced(req.pricing, req.endpoint);
  return withPartialNote(result, req);
}

function fromProvider(pc: NonNullable<CostRequest['providerCost']>): CostResult {
  const cost = pc.cost ?? 0;
  const upstream = pc.upstreamCost ?? 0;
  // Bring-your-own-key: OpenRouter's `cost` is only its fee (often 0); the upstream provider bills
  // the user's own key `upstream_inference_cost`. Both are real spend. Without BYOK the upstream
  // figure is already inside `cost` and must not be added again.
  const byok = pc.isByok === true || (pc.isByok === undefined && cost === 0 && upstream > 0);
  if (byok) {
    return {
      amount: roundUsd(cost + upstream), currency: 'USD', source: 'provider',
      breakdown: { provider: cost, upstream },
      note: `bring-your-own-key: the upstream provider billed your key ${formatUsd(upstream)} (upstream_inference_cost)${cost > 0 ? ` plus ${formatUsd(cost)} OpenRouter fee` : '; OpenRouter charged $0'}`,
    };
  }
  return { amount: roundUsd(cost), currency: 'USD', source: 'provider', breakdown: { provider: cost }, note: 'reported by the provider' };
}

function fromHours(p: Pricing & { perHour: number }, durationMs: number): CostResult {
  const concurrency = p.concurrency ?? 1;
  const amount = roundUsd((p.perHour / concurrency) * (Math.max(0, durationMs) / HOUR_MS));
  return {
    amount, currency: 'USD', source: 'gpu-hour', breakdown: { server: amount },
    note: `${(durationMs / 1000).toFixed(1)} s of a ${formatUsd(p.perHour)}/h server shared by ${concurrency} request${concurrency === 1 ? '' : 's'}`,
  };
}

/** Per-token parts of a usage; used by the cost, the estimate and the break-even comparison. */
export function tablePrice(usage: Usage, p: Pricing & { inputPerMTok: number; outputPerMTok: number }): { amount: number; breakdown: Record<string, number>; notes: string[] } {
  const notes: string[] = [];
  const breakdown: Record<string, number> = {};
  // OpenAI convention: prompt_tokens includes cached reads and cache writes; each is billed once.
  const cached = usage.cached;
  const cacheWrite = usage.cacheWrite;
  if (cached + cacheWrite > usage.prompt) {
    notes.push(`cached tokens (${cached + cacheWrite}) exceed prompt tokens (${usage.prompt}): billed as reported`);
  }
  const uncached = Math.max(0, usage.prompt - cached - cacheWrite);
  breakdown.input = (uncached * p.inputPerMTok) / PER_M;
  if (cached > 0) {
    if (p.cachedInputPerMTok === undefined) notes.push('no cached-input price: cached tokens billed at the input price');
    breakdown.cached = (cached * (p.cachedInputPerMTok ?? p.inputPerMTok)) / PER_M;
  }
  if (cacheWrite > 0) {
    if (p.cacheWritePerMTok === undefined) notes.push('no cache-write price: cache writes billed at the input price');
    breakdown.cacheWrite = (cacheWrite * (p.cacheWritePerMTok ?? p.inputPerMTok)) / PER_M;
  }
  // Reasoning tokens are part of completion_tokens (OpenAI convention); when a server reports more
  // reasoning than completion, they cannot be a subset, so they are billed on top.
  const reasoningInside = usage.reasoning <= usage.completion;
  if (!reasoningInside) notes.push(`reasoning tokens (${usage.reasoning}) exceed completion tokens (${usage.completion}): billed in addition`);
  const visible = reasoningInside ? usage.completion - usage.reasoning : usage.completion;
  if (p.reasoningPerMTok !== undefined && usage.reasoning > 0) {
    breakdown.output = (visible * p.outputPerMTok) / PER_M;
    breakdown.reasoning = (usage.reasoning * p.reasoningPerMTok) / PER_M;
  } else {
    breakdown.output = ((visible + usage.reasoning) * p.outputPerMTok) / PER_M;
  }
  for (const k of Object.keys(breakdown)) breakdown[k] = roundUsd(breakdown[k]);
  const amount = roundUsd(Object.values(breakdown).reduce((a, b) => a + b, 0));
  return { amount, breakdown, notes };
}

function fromTable(usage: Usage, p: Pricing & { inputPerMTok: number; outputPerMTok: number }): CostResult {
  const { amount, breakdown, notes } = tablePrice(usage, p);
  return { amount, currency: 'USD', source: 'price-table', breakdown, note: ['from the profile\'s price table', ...notes].join('; ') };
}

function unpriced(p: Pricing | undefined, endpoint: string | undefined): CostResult {
  const where = endpoint ? `profile "${endpoint}"` : 'the endpoint profile';
  const missing = p && (p.inputPerMTok !== undefined || p.outputPerMTok !== undefined)
    ? `price incomplete: set ${p.inputPerMTok === undefined ? 'inputPerMTok' : 'outputPerMTok'} in the pricing of ${where}`
    : `price not set: add "pricing" to ${where}`;
  return { amount: null, currency: 'USD', source: 'unpriced', note: missing };
}

function withPartialNote(r: CostResult, req: CostRequest): CostResult {
  if (!req.partial) return r;
  const what = req.partial === 'cancelled' ? 'cancelled' : 'failed';
  const u = req.usage;
  const basis = r.source === 'provider'
    ? 'the cost the provider reported'
    : r.source === 'gpu-hour'
      ? 'the server time it held'
      : u.prompt + u.completion > 0
        ? `the partial usage (${u.prompt} prompt, ${u.completion} completion tokens)`
        : 'no usage reported: the provider may still bill the prompt';
  const note = `${what} request: billed for ${basis}`;
  return { ...r, note: r.note ? `${note}; ${r.note}` : note };
}

/**
 * Worst-case cost before sending: every prompt token uncached, the whole output allowance used
 * (at the dearer of output and reasoning prices). GPU-hour needs an expected duration.
 */
export function estimateRequest(req: EstimateRequest): Estimate {
  const p = req.pricing;
  if (hasHourPrice(p)) {
    if (req.durationMs === undefined) {
      return { amount: null, currency: 'USD', source: 'gpu-hour', note: 'GPU-hour price: no duration to estimate from' };
    }
    const r = fromHours(p, req.durationMs);
    return { ...r, note: `at most ${r.note}` };
  }
  if (hasTokenPrices(p)) {
    const outPrice = Math.max(p.outputPerMTok, p.reasoningPerMTok ?? 0);
    const input = roundUsd((req.promptTokens * p.inputPerMTok) / PER_M);
    const output = roundUsd((req.maxOutputTokens * outPrice) / PER_M);
    return {
      amount: roundUsd(input + output), currency: 'USD', source: 'price-table', breakdown: { input, output },
      note: `at most: ${req.promptTokens} prompt tokens uncached and all ${req.maxOutputTokens} output tokens`,
    };
  }
  return { ...unpriced(p, req.endpoint), note: `${unpriced(p, req.endpoint).note}; no estimate before sending` };
}

/** The largest prompt (in tokens) whose worst-case estimate stays within `allowedUsd`; null if none. */
export function largestPromptWithin(allowedUsd: number, maxOutputTokens: number, pricing: Pricing | undefined): number | null {
  if (!hasTokenPrices(pricing) || hasHourPrice(pricing)) return null;
  const outPrice = Math.max(pricing.outputPerMTok, pricing.reasoningPerMTok ?? 0);
  const left = roundUsd(allowedUsd - (maxOutputTokens * outPrice) / PER_M);
  if (left <= 0) return null;
  if (pricing.inputPerMTok === 0) return Number.MAX_SAFE_INTEGER;
  // The epsilon keeps float noise (5 - 4.9) from costing a token.
  const tokens = Math.floor((left * PER_M) / pricing.inputPerMTok + 1e-6);
  return tokens > 0 ? tokens : null;
}
