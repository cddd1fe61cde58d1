import type { Usage } from '../../../src/core/events';
import type { ProviderCost } from '../../../src/core/cost';

/**
 * Usage objects exactly as each dialect sends them in the last stream chunk, and the `Usage` +
 * `ProviderCost` the model client derives from them (OpenAI convention: prompt_tokens includes
 * cached tokens, completion_tokens includes reasoning tokens).
 */
export const RAW = {
  // vLLM 0.11 with --enable-prompt-tokens-details; no reasoning count (it is in completion_tokens).
  vllm: { prompt_tokens: 1523, total_tokens: 2011, completion_tokens: 488, prompt_tokens_details: { cached_tokens: 1024 } },
  // vLLM default: details are null.
  vllmPlain: { prompt_tokens: 812, total_tokens: 1300, completion_tokens: 488, prompt_tokens_details: null },
  openrouter: {
    prompt_tokens: 194, completion_tokens: 2, total_tokens: 196, cost: 0.000095, is_byok: false,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    cost_details: { upstream_inference_cost: null, upstream_inference_prompt_cost: 0.0000388, upstream_inference_completions_cost: 0.0000568 },
    completion_tokens_details: { reasoning_tokens: 0, image_tokens: 0 },
  },
  openrouterByok: {
    prompt_tokens: 10250, completion_tokens: 3120, total_tokens: 13370, cost: 0, is_byok: true,
    prompt_tokens_details: { cached_tokens: 8192, audio_tokens: 0 },
    cost_details: { upstream_inference_cost: 0.01953, upstream_inference_prompt_cost: 0.00393, upstream_inference_completions_cost: 0.0156 },
    completion_tokens_details: { reasoning_tokens: 2600, image_tokens: 0 },
  },
  openrouterCacheWrite: {
    prompt_tokens: 12000, completion_tokens: 400, total_tokens: 12400, cost: 0.0531, is_byok: false,
    prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 11000 },
    cost_details: { upstream_inference_cost: null },
    completion_tokens_details: { reasoning_tokens: 120 },
  },
  foundry: {
    completion_tokens: 1843, prompt_tokens: 5210, total_tokens: 7053,
    completion_tokens_details: { accepted_prediction_tokens: 0, audio_tokens: 0, reasoning_tokens: 1216, rejected_prediction_tokens: 0 },
    prompt_tokens_details: { audio_tokens: 0, cached_tokens: 4096 },
  },
} as const;

interface RawUsage {
  prompt_tokens: number; completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  cost?: number; is_byok?: boolean; cost_details?: { upstream_inference_cost?: number | null } | null;
}

/** What the model client hands the cost code for a raw usage object. */
export function asClientWould(raw: RawUsage): { usage: Usage; providerCost?: ProviderCost } {
  const usage: Usage = {
    prompt: raw.prompt_tokens,
    cached: raw.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWrite: raw.prompt_tokens_details?.cache_write_tokens ?? 0,
    completion: raw.completion_tokens,
    reasoning: raw.completion_tokens_details?.reasoning_tokens ?? 0,
  };
  const upstream = raw.cost_details?.upstream_inference_cost ?? undefined;
  const providerCost = raw.cost !== undefined || upstream !== undefined
    ? { cost: raw.cost, upstreamCost: upstream, isByok: raw.is_byok }
    : undefined;
  return { usage, providerCost };
}
