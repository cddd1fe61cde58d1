import type { EndpointProfileInput, FoundryApi } from '../config/profile';
import { AZURE_CLASSIC_API_VERSION, DEFAULT_CONTEXT_WINDOW, FOUNDRY_MAI_DIALECT, MAI_MAX_COMPLETION_TOKENS, PRESETS } from '../config/presets';
import type { ModelInfo, ResolvedProfile } from './types';

/** Azure's classic route names the deployment in the path and needs `api-version`. */
export function isAzureClassicRoute(baseUrl: string): boolean {
  return /\/openai\/deployments\/[^/]+/i.test(baseUrl);
}

/** The routes Microsoft documents for Foundry, by API; `<resource>` as the portal shows it. */
export const FOUNDRY_ROUTES: Record<FoundryApi, string> = {
  mai: 'https://<resource>.services.ai.azure.com/mai/v1 (MAI models; "model" is the deployment name)',
  openai: 'https://<resource>.services.ai.azure.com/openai/v1 or https://<resource>.openai.azure.com/openai/v1 (other models)',
  classic: 'https://<resource>.openai.azure.com/openai/deployments/<deployment>?api-version=... (classic Azure OpenAI)',
};

/**
 * Which Foundry API a profile is on and the base URL to call. An explicit `foundryApi` wins;
 * else the URL's path says (`/mai/v1`, `/openai/v1`, `/openai/deployments/<name>`); a bare
 * resource endpoint, as the portal shows it, is the MAI route when the model (the deployment
 * name) looks like MAI or is not given, and the OpenAI v1 route otherwise.
 */
export function foundryRoute(baseUrl: string, model: string | undefined, given?: FoundryApi): { api: FoundryApi; baseUrl: string } {
  let url: URL;
  try { url = new URL(baseUrl); } catch { return { api: given ?? 'mai', baseUrl }; }
  const path = url.pathname.replace(/\/+$/, '');
  const origin = `${url.origin}`;
  const fromPath: FoundryApi | undefined = /\/mai\/v1$/i.test(path) ? 'mai'
    : isAzureClassicRoute(path) ? 'classic'
      : /\/openai(\/v1)?$/i.test(path) ? 'openai' : undefined;
  // MAI's route is on services.ai.azure.com; an openai.azure.com resource serves the OpenAI routes.
  const api = given ?? fromPath ?? (/\.openai\.azure\.com$/i.test(url.hostname) ? 'openai' : !model || /mai/i.test(model) ? 'mai' : 'openai');
  // Only a bare resource endpoint (or one ending in /mai or /openai) is completed; any other path is the user's own (a gateway).
  if (path === '' || path === '/') return { api, baseUrl: api === 'mai' ? `${origin}/mai/v1` : api === 'openai' ? `${origin}/openai/v1` : origin };
  if (/\/mai$/i.test(path) && api === 'mai') return { api, baseUrl: `${origin}${path}/v1` };
  if (/\/openai$/i.test(path) && api === 'openai') return { api, baseUrl: `${origin}${path}/v1` };
  return { api, baseUrl: `${origin}${path}` };
}

/** Applies the provider preset to a profile from settings; the profile's own fields win. */
export function resolveProfile(input: EndpointProfileInput | undefined): ResolvedProfile {
  if (!input) return defaultProfile();
  const preset = PRESETS[input.provider];
  let baseUrl = (input.baseUrl ?? preset.baseUrl ?? '').replace(/\/+$/, '');
  const model = input.model ?? preset.model;
  let foundryApi: FoundryApi | undefined;
  if (input.provider === 'foundry' && baseUrl) ({ api: foundryApi, baseUrl } = foundryRoute(baseUrl, model, input.foundryApi));
  const mai = foundryApi === 'mai';
  const dialect = mai ? { ...preset, ...FOUNDRY_MAI_DIALECT } : { ...preset, encryptedReasoning: false, privateReasoning: false, effortControl: true };
  const contextWindow = input.contextWindow ?? preset.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
  const contextWindowSource = input.contextWindow ? 'profile' : preset.contextWindow ? 'preset' : 'default';
  let reasoningEffortStyle = dialect.reasoningEffortStyle;
  // A profile that asks for an effort on a preset that sends none gets the common field, unless the endpoint has no such control.
  if (input.reasoningEffort && reasoningEffortStyle === 'none' && dialect.effortControl) reasoningEffortStyle = 'reasoning_effort';
  const auth = input.auth ?? preset.auth;
  // A profile's own figure is kept (within the window); the preset's scales with the window (outputReserve).
  const maxOutput = Math.min(input.maxOutputTokens ?? outputReserve(contextWindow, preset.maxOutputTokens), contextWindow, mai ? MAI_MAX_COMPLETION_TOKENS : Infinity);
  return {
    id: input.id,
    label: input.label ?? input.id,
    provider: input.provider,
    baseUrl,
    model,
    auth,
    authHeader: preset.authHeader,
    headers: { ...(input.headers ?? {}) },
    apiVersion: input.apiVersion ?? (foundryApi === 'classic' ? AZURE_CLASSIC_API_VERSION : undefined),
    ...(foundryApi ? { foundryApi } : {}),
    encryptedReasoning: dialect.encryptedReasoning,
    privateReasoning: dialect.privateReasoning,
    effortControl: dialect.effortControl,
    ...(mai ? { documentedParams: FOUNDRY_MAI_DIALECT.documentedParams } : {}),
    contextWindow,
    contextWindowSource,
    maxOutputTokens: maxOutput,
    ...(input.maxOutputTokens ? { maxOutputTokensSet: true } : {}),
    reasoningEffort: input.reasoningEffort,
    reasoningEffortStyle,
    developerRole: input.developerRole ?? dialect.developerRole,
    allowsTemperature: dialect.allowsTemperature,
    maxTokensParam: dialect.maxTokensParam,
    sendReasoningBack: input.sendReasoningBack ?? dialect.sendReasoningBack,
    reasoningField: dialect.reasoningField,
    includeUsage: dialect.includeUsage,
    pricing: input.pricing ?? preset.pricing,
    timeoutSeconds: input.timeoutSeconds ?? preset.timeoutSeconds,
    maxRetries: input.maxRetries ?? preset.maxRetries,
    metricsUrl: input.metricsUrl,
  };
}

/**
 * The output reserve scales with the window: a preset's figure (8K for vLLM, 32K for
 * MAI-Thinking-1), but never more than a quarter of the window, and at least 1,024 tokens (or
 * half the window, if that is less). So a 6,144-token local server keeps 1,536 tokens for the
 * answer and 4,608 for the prompt, where a fixed 8K reserve took all of it. A profile's own
 * "maxOutputTokens" is kept as given (capped at the window).
 */
export function outputReserve(contextWindow: number, wanted: number): number {
  const floor = Math.min(1024, Math.floor(contextWindow / 2));
  return Math.max(1, Math.min(wanted, Math.max(floor, Math.floor(contextWindow / 4))));
}

/** With no profile configured: a local vLLM at http://localhost:8000/v1 serving whatever model it has. */
export function defaultProfile(): ResolvedProfile {
  return { ...resolveProfile({ id: 'local-vllm', label: 'Local vLLM', provider: 'vllm' }), origin: 'default' };
}

/** What is wrong with a resolved profile before any request is made (empty: nothing). */
export function profileProblems(p: ResolvedProfile): string[] {
  const problems: string[] = [];
  if (!p.baseUrl) {
    problems.push(p.provider === 'foundry'
      ? `Profile "${p.id}" (Foundry) has no "baseUrl": set it to the endpoint the Foundry portal shows, e.g. "https://<resource>.services.ai.azure.com", and "model" to your deployment name.`
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
  const preset = PRESETS[p.provider].maxOutputTokens;
  const maxOutputTokens = p.maxOutputTokensSet ? Math.min(p.maxOutputTokens, contextWindow) : outputReserve(contextWindow, preset);
  return { ...p, model: p.model ?? info.id, contextWindow, contextWindowSource: 'server', maxOutputTokens };
}

/** What identifies an endpoint for opaque reasoning state: it is sent back only where it came from. */
export function reasoningEndpointKey(p: Pick<ResolvedProfile, 'baseUrl' | 'model'>): string {
  return `${p.baseUrl}|${p.model ?? ''}`;
}

/** Whether a reasoning-effort choice is sent to this endpoint (MAI on Foundry documents no such control). */
export function hasEffortControl(p: Pick<ResolvedProfile, 'effortControl'>): boolean {
  return p.effortControl;
}
