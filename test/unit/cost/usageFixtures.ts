import type { Usage } from '../../../src/core/events';
import type { ProviderCost } from '../../../src/core/cost';
import { TurnDecoder } from '../../../src/core/model/decode';

/**
 * Usage objects exactly as each dialect sends them in the last stream chunk (OpenAI convention:
 * prompt_tokens includes cached tokens, completion_tokens includes reasoning tokens).
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

/**
 * What the model client hands the cost code: the raw usage object goes out in the stream's last
 * chunk (empty `choices`, as every dialect sends it) through H2's real decoder.
 */
export function asClientWould(raw: object): { usage: Usage; providerCost?: ProviderCost } {
  const decoder = new TurnDecoder(() => {});
  decoder.push({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1763800000, model: 'm', choices: [], usage: raw });
  const { usage, providerCost } = decoder.usage();
  if (!usage) throw new Error('the decoder read no usage from the chunk');
  return { usage, providerCost };
}
