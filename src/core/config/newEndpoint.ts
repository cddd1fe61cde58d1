import { EndpointProfileSchema, type EndpointProfileInput } from './profile';
import { LOCAL_VLLM_URL } from './presets';

/**
 * The kinds of endpoint a newcomer adds through "Ponder: Add Endpoint…", and the profile each
 * becomes in `ponder.endpoints`. The same shapes are offered as settings.json snippets
 * (package.json `defaultSnippets`); a unit test keeps the two in step.
 */
export type EndpointKind = 'mai-foundry' | 'mai-openrouter' | 'vllm' | 'openai-compatible';

export interface KindInfo {
  readonly kind: EndpointKind;
  readonly label: string;
  readonly detail: string;
  /** What the URL step asks for, and what it starts with. Absent: the kind has a fixed URL. */
  readonly url?: { prompt: string; placeholder: string; value: string };
  readonly fixedUrl?: string;
  /** The model step: Foundry asks for the deployment name, vLLM picks from the server's list. */
  readonly model: { prompt: string; value: string; fromServer: boolean };
  /** Whether a key is needed (optional for self-hosted servers). */
  readonly key: 'required' | 'optional';
  readonly idBase: string;
}

export const KINDS: readonly KindInfo[] = [
  {
    kind: 'mai-foundry', label: 'MAI-Thinking-1 on Microsoft Foundry', idBase: 'mai-foundry',
    detail: 'Your Foundry resource: the endpoint and deployment name from the deployment\'s Details tab, and its key.',
    url: { prompt: 'The Endpoint shown on the deployment\'s Details tab in the Foundry portal', placeholder: 'https://<resource>.services.ai.azure.com', value: 'https://' },
    model: { prompt: 'The deployment\'s Name (not the model name) from the same Details tab', value: 'MAI-Thinking-1', fromServer: false },
    key: 'required',
  },
  {
    kind: 'mai-openrouter', label: 'MAI-Thinking-1 on OpenRouter', idBase: 'mai-openrouter',
    detail: 'openrouter.ai with your OpenRouter key.',
    fixedUrl: 'https://openrouter.ai/api/v1',
    model: { prompt: 'The model id on OpenRouter', value: 'microsoft/mai-thinking-1', fromServer: false },
    key: 'required',
  },
  {
    kind: 'vllm', label: 'A vLLM server', idBase: 'vllm',
    detail: 'Your own or your team\'s vLLM: Ponder reads its models, context window and health.',
    url: { prompt: 'The server\'s OpenAI API root (usually ends in /v1)', placeholder: LOCAL_VLLM_URL, value: LOCAL_VLLM_URL },
    model: { prompt: 'The model the server serves', value: '', fromServer: true },
    key: 'optional',
  },
  {
    kind: 'openai-compatible', label: 'Another OpenAI-compatible server', idBase: 'server',
    detail: 'llama.cpp, Ollama, LM Studio, a gateway: anything that speaks Chat Completions.',
    url: { prompt: 'The server\'s OpenAI API root (usually ends in /v1)', placeholder: 'http://localhost:8080/v1', value: 'http://localhost:8080/v1' },
    model: { prompt: 'The model the server serves', value: '', fromServer: true },
    key: 'optional',
  },
];

export function kindInfo(kind: EndpointKind): KindInfo {
  return KINDS.find((k) => k.kind === kind)!;
}

export interface NewEndpointAnswers {
  kind: EndpointKind;
  url: string;
  model: string;
  hasKey: boolean;
}

/**
 * Checks the URL step's answer; returns the problem in words, or undefined. Foundry wants the
 * resource endpoint the portal shows (https, `*.services.ai.azure.com` or `*.openai.azure.com`),
 * loopback excepted so a local stand-in works.
 */
export function urlProblem(kind: EndpointKind, raw: string): string | undefined {
  const text = raw.trim();
  if (!text) return 'Enter a URL.';
  let url: URL;
  try { url = new URL(text); } catch { return `"${text}" is not a URL: use http://host:port/v1 or https://…`; }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Use an http:// or https:// URL, not ${url.protocol}`;
  if (!url.hostname) return 'The URL has no host.';
  if (kind === 'mai-foundry' && !isLoopback(url.hostname)) {
    if (url.protocol !== 'https:') return 'Foundry endpoints are https://.';
    if (!/\.(services\.ai\.azure\.com|openai\.azure\.com|cognitiveservices\.azure\.com)$/i.test(url.hostname)) {
      return `"${url.hostname}" is not a Foundry resource host: copy the Endpoint from the deployment's Details tab (https://<resource>.services.ai.azure.com).`;
    }
  }
  return undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** A profile id not yet taken: `vllm`, `vllm-2`, ... */
export function uniqueId(base: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** The host of a URL, for labels: "gpu-box:8000". */
function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

/**
 * The profile the answers become, in the shape the README documents: Foundry gets the portal's
 * resource endpoint as `baseUrl`, the deployment name as `model`, and `foundryApi: "mai"` (the
 * `/mai/v1/chat/completions` route) said outright, whatever the deployment is called.
 */
export function profileFor(a: NewEndpointAnswers, id: string): EndpointProfileInput {
  const info = kindInfo(a.kind);
  const url = a.url.trim().replace(/\/+$/, '');
  const model = a.model.trim();
  let p: Record<string, unknown>;
  switch (a.kind) {
    case 'mai-foundry':
      p = { id, label: `MAI-Thinking-1 (Foundry, ${model})`, provider: 'foundry', baseUrl: url, model, foundryApi: 'mai', auth: 'apiKey' };
      break;
    case 'mai-openrouter':
      p = { id, label: 'MAI-Thinking-1 (OpenRouter)', provider: 'openrouter', baseUrl: info.fixedUrl, model, auth: 'apiKey' };
      break;
    case 'vllm':
      p = { id, label: `vLLM ${hostOf(url)}`, provider: 'vllm', baseUrl: url, ...(model ? { model } : {}), auth: a.hasKey ? 'apiKey' : 'none' };
      break;
    case 'openai-compatible':
      p = { id, label: `${hostOf(url)}`, provider: 'openai-compatible', baseUrl: url, ...(model ? { model } : {}), auth: a.hasKey ? 'apiKey' : 'none' };
      break;
  }
  return EndpointProfileSchema.parse(p);
}
