import { z } from 'zod';
import { CostSourceSchema, type CostSource, type Usage } from '../events';
import type { Pricing } from '../config/profile';

/**
 * What a provider said a request cost, as the model client reads it from the usage chunk
 * (OpenRouter: `usage.cost`, `usage.cost_details.upstream_inference_cost`, `usage.is_byok`).
 */
export const ProviderCostSchema = z.object({
  cost: z.number().nonnegative().optional(),
  upstreamCost: z.number().nonnegative().optional(),
  isByok: z.boolean().optional(),
});
export type ProviderCost = z.infer<typeof ProviderCostSchema>;

/** The figure that becomes a request's `cost` event. */
export interface CostResult {
  /** USD; null when no price is known (never a made-up figure). */
  amount: number | null;
  currency: 'USD';
  source: CostSource;
  /** USD per part: input, cached, cacheWrite, output, reasoning, provider, upstream, server. */
  breakdown?: Record<string, number>;
  /** Why the figure is what it is, in words the user reads next to it. */
  note?: string;
}

export interface CostRequest {
  usage: Usage;
  providerCost?: ProviderCost;
  pricing?: Pricing;
  /** Wall time of the request: what a GPU-hour price bills. */
  durationMs: number;
  /** A request that did not finish still costs what was used; the note says so. */
  partial?: 'cancelled' | 'failed';
  /** Profile id, so "price not set" can say where to add it. */
  endpoint?: string;
}

export interface EstimateRequest {
  /** The packed prompt's exact token count. */
  promptTokens: number;
  /** The most the model may produce (reasoning included): the worst case. */
  maxOutputTokens: number;
  pricing?: Pricing;
  endpoint?: string;
  /** For GPU-hour prices only: how long the request may hold the server. */
  durationMs?: number;
}

export interface Estimate {
  /** Worst-case USD; null when it cannot be priced beforehand. */
  amount: number | null;
  currency: 'USD';
  source: CostSource;
  breakdown?: Record<string, number>;
  note?: string;
}

export const LedgerStatusSchema = z.enum(['done', 'error', 'cancelled']);
export type LedgerStatus = z.infer<typeof LedgerStatusSchema>;

export const LedgerTokensSchema = z.object({
  prompt: z.number().int().nonnegative(),
  cached: z.number().int().nonnegative().default(0),
  cacheWrite: z.number().int().nonnegative().default(0),
  completion: z.number().int().nonnegative(),
  reasoning: z.number().int().nonnegative().default(0),
});

/** One line of the ledger: one finished request. Kept small (a line stays under 4 KB). */
export const LedgerEntrySchema = z.object({
  v: z.literal(1),
  id: z.string().min(1),
  /** ISO 8601, UTC. */
  time: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date'),
  endpoint: z.string(),
  model: z.string(),
  provider: z.string().optional(),
  tokens: LedgerTokensSchema,
  /** USD; never negative or infinite (a provider's such figure is refused before it gets here). */
  cost: z.number().finite().nonnegative().nullable(),
  currency: z.literal('USD').default('USD'),
  source: CostSourceSchema,
  note: z.string().optional(),
  workspace: z.string().optional(),
  command: z.string().optional(),
  status: LedgerStatusSchema,
  durationMs: z.number().nonnegative().optional(),
  /** The window (VS Code session) or CLI run that made the request: "this session" totals. */
  session: z.string().optional(),
});
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;
export type LedgerEntryInput = z.input<typeof LedgerEntrySchema>;
