import type { Dialect } from './dialect';
import type { Provider, Pricing } from './profile';

/**
 * Provider presets: the defaults a profile gets from its `provider`. A profile's own fields
 * always win. Facts here come from each provider's published documentation (MAI-Thinking-1:
 * Microsoft Learn, "Use MAI-Thinking-1 in Microsoft Foundry"); where a provider's behaviour is
 * not published the choice is the one that does not break a request.
 */
export interface Preset extends Dialect {
  /** Absent: the profile must give `baseUrl` (a Foundry resource has its own host). */
  baseUrl?: string;
  model?: string;
  auth: 'apiKey' | 'entra' | 'none';
  /** Context window of the preset's model; absent: ask the server, else DEFAULT_CONTEXT_WINDOW. */
  contextWindow?: number;
  /** Only published prices. MAI-Thinking-1's price is not published, so no preset carries one. */
  pricing?: Pricing;
}

/**
 * MAI-Thinking-1 on Foundry's own route (`/mai/v1`), as Microsoft documents it: the parameters
 * are `model`, `messages`, `max_completion_tokens` (reasoning included, output capped at 64K),
 * `tools`, `stream` and `reasoning_display`, nothing else (`max_tokens` is a 400); usage rides on
 * the final chunk unasked (so no `stream_options`); no reasoning-effort control; reasoning is
 * private, returned only as an opaque value when `reasoning_display` is "encrypted".
 */
export const MAI_MAX_COMPLETION_TOKENS = 64_000;
export const FOUNDRY_MAI_DIALECT = {
  maxTokensParam: 'max_completion_tokens', includeUsage: false, allowsTemperature: false,
  reasoningEffortStyle: 'none', effortControl: false, developerRole: 'system',
  encryptedReasoning: true, privateReasoning: true, sendReasoningBack: false,
  documentedParams: ['model', 'messages', 'max_completion_tokens', 'tools', 'stream', 'reasoning_display'],
} as const;

export const LOCAL_VLLM_URL = 'http://localhost:8000/v1';
/** MAI-Thinking-1: 256K tokens (one report says 128K; a server's own figure wins). */
export const MAI_CONTEXT_WINDOW = 262_144;
/** Used when neither the profile, the preset nor the server says. Conservative on purpose. */
export const DEFAULT_CONTEXT_WINDOW = 32_768;
/** The classic Azure route `/openai/deployments/<name>` needs an api-version; one that takes reasoning models. */
export const AZURE_CLASSIC_API_VERSION = '2025-04-01-preview';

const mai = { contextWindow: MAI_CONTEXT_WINDOW, maxOutputTokens: 32_768 };

export const PRESETS: Record<Provider, Preset> = {
  // Foundry/Azure: `api-key` header (or Entra Bearer); reasoning models refuse temperature and
  // want max_completion_tokens; unknown message fields are rejected, so reasoning is not sent back.
  foundry: {
    model: 'mai-thinking-1', auth: 'apiKey', authHeader: 'api-key', reasoningEffortStyle: 'reasoning_effort',
    developerRole: 'developer', allowsTemperature: false, maxTokensParam: 'max_completion_tokens',
    sendReasoningBack: false, reasoningField: 'reasoning_content', includeUsage: true,
    ...mai, timeoutSeconds: 120, maxRetries: 3,
  },
  // OpenRouter: `reasoning: {effort}`, structured `reasoning_details` to be returned unchanged,
  // usage always sent (with cost).
  openrouter: {
    baseUrl: 'https://openrouter.ai/api/v1', model: 'microsoft/mai-thinking-1', auth: 'apiKey', authHeader: 'bearer',
    reasoningEffortStyle: 'openrouter', developerRole: 'system', allowsTemperature: true, maxTokensParam: 'max_tokens',
    sendReasoningBack: true, reasoningField: 'reasoning_details', includeUsage: true,
    ...mai, timeoutSeconds: 120, maxRetries: 3,
  },
  fireworks: {
    baseUrl: 'https://api.fireworks.ai/inference/v1', auth: 'apiKey', authHeader: 'bearer',
    reasoningEffortStyle: 'reasoning_effort', developerRole: 'system', allowsTemperature: true, maxTokensParam: 'max_tokens',
    sendReasoningBack: true, reasoningField: 'reasoning_content', includeUsage: true,
    ...mai, timeoutSeconds: 120, maxRetries: 3,
  },
  baseten: {
    baseUrl: 'https://inference.baseten.co/v1', auth: 'apiKey', authHeader: 'bearer',
    reasoningEffortStyle: 'reasoning_effort', developerRole: 'system', allowsTemperature: true, maxTokensParam: 'max_tokens',
    sendReasoningBack: false, reasoningField: 'reasoning_content', includeUsage: true,
    ...mai, timeoutSeconds: 120, maxRetries: 3,
  },
  // vLLM: chat templates read `reasoning_content` from earlier assistant turns; the window comes
  // from `/v1/models` (max_model_len); usage only with stream_options.include_usage.
  vllm: {
    baseUrl: LOCAL_VLLM_URL, auth: 'none', authHeader: 'bearer', reasoningEffortStyle: 'reasoning_effort',
    developerRole: 'system', allowsTemperature: true, maxTokensParam: 'max_tokens',
    sendReasoningBack: true, reasoningField: 'reasoning_content', includeUsage: true,
    maxOutputTokens: 8192, timeoutSeconds: 300, maxRetries: 1,
  },
  // Anything else (llama.cpp, Ollama, LM Studio): send only what every server accepts.
  'openai-compatible': {
    baseUrl: LOCAL_VLLM_URL, auth: 'none', authHeader: 'bearer', reasoningEffortStyle: 'none',
    developerRole: 'system', allowsTemperature: true, maxTokensParam: 'max_tokens',
    sendReasoningBack: false, reasoningField: 'reasoning_content', includeUsage: true,
    maxOutputTokens: 8192, timeoutSeconds: 300, maxRetries: 1,
  },
};
