import type { EndpointProfileInput } from '../config/profile';
import { AZURE_CLASSIC_API_VERSION, DEFAULT_CONTEXT_WINDOW, PRESETS } from '../config/presets';
import type { ModelInfo, ResolvedProfile } from './types';

/** Azure's classic route names the deployment in the path and needs `api-version`. */
export function isAzureClassicRoute(baseUrl: string): boolean {
  return /\/openai\/deployments\/[^/]+/i.test(baseUrl);
}

/** Applies the provider preset to a profile from settings; the profile's own fields win. */
export function resolveProfile(input: EndpointProfileInput | undefined): ResolvedProfile {
  if (!input) return defaultProfile();
  const preset = PRESETS[input.provider];
  const baseUrl = (input.baseUrl ?? preset.baseUrl ?? '').replace(/\/+$/, '');
  const contextWindow = input.contextWindow ?? preset.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  const contextWindowSource = input.contextWindow ? 'profile' : preset.contextWindow ? 'preset' : 'default';
  let reasoningEffortStyle = preset.reasoningEffortStyle;
  // A profile that asks for an effort on a preset that sends none gets the common field.
  if (input.reasoningEffort && reasoningEffortStyle === 'none') reasoningEffortStyle = 'reasoning_effort';
  const auth = input.auth ?? preset.auth;
  return {
    id: input.id,
    label: input.label ?? input.id,
    provider: input.provider,
    baseUrl,
    model: input.model ?? preset.model,
    auth,
    authHeader: preset.authHeader,
    headers: { ...(input.headers ?? {}) },
    apiVersion: input.apiVersion ?? (input.provider === 'foundry' && isAzureClassicRoute(baseUrl) ? AZURE_CLASSIC_API_VERSION : undefined),
    contextWindow,
    contextWindowSource,
    maxOutputTokens: Math.min(input.maxOutputTokens ?? preset.maxOutputTokens, contextWindow),
    reasoningEffort: input.reasoningEffort,
    reasoningEffortStyle,
    developerRole: input.developerRole ?? preset.developerRole,
    allowsTemperature: preset.allowsTemperature,
    maxTokensParam: preset.maxTokensParam,
    sendReasoningBack: input.sendReasoningBack ?? preset.sendReasoningBack,
    reasoningField: preset.reasoningField,
    includeUsage: preset.includeUsage,
    pricing: input.pricing ?? preset.pricing,
    timeoutSeconds: input.timeoutSeconds ?? preset.timeoutSeconds,
    maxRetries: input.maxRetries ?? preset.maxRetries,
    metricsUrl: input.metricsUrl,
  };
}

/** With no profile configured: a local vLLM at http://localhost:8000/v1 serving whatever model it has. */
export function defaultProfile(): ResolvedProfile {
  return resolveProfile({ id: 'local-vllm', label: 'Local vLLM', provider: 'vllm' });
}

/** What is wrong with a resolved profile before any request is made (empty: nothing). */
export function profileProblems(p: ResolvedProfile): string[] {
  const problems: string[] = [];
  if (!p.baseUrl) {
    problems.push(p.provider === 'foundry'
      ? `Profile "${p.id}" (Foundry) has no "baseUrl": set it to your resource's endpoint, e.g. "https://<resource>.openai.azure.com/openai/v1".`
      : `Profile "${p.id}" has no "baseUrl".`);
  }
  return problems;
}

/**
 * A server's own `max_model_len` is the real window of a local server: it replaces a default or
 * preset figure, never one the profile set explicitly.
 */
export function withServerContextWindow(p: ResolvedProfile, models: ModelInfo[]): ResolvedProfile {
  if (p.contextWindowSource === 'profile') return p;
  const info = (p.model ? models.find((m) => m.id === p.model) : models[0]);
  if (!info?.contextWindow) return p;
  const contextWindow = info.contextWindow;
  return { ...p, model: p.model ?? info.id, contextWindow, contextWindowSource: 'server', maxOutputTokens: Math.min(p.maxOutputTokens, contextWindow) };
}
