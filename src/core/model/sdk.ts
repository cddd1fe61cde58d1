import type OpenAI from 'openai';
import { filteringFetch } from './sseFilter';
import { sameOriginFetch } from './redirectGuard';
import type { ResolvedProfile } from './types';

/**
 * The SDK keeps an error response's body only from under its `error` key (`{"error": {...}}`, as
 * OpenAI answers). Older vLLM releases and FastAPI servers answer with the error object itself
 * (`{"object": "error", "message": ..., "param": ...}`, `{"detail": [...]}`), which openai 6 drops:
 * the user would read "400 status code (no body)" instead of the server's words, and a rejected
 * parameter could not be recognized. Such a body is taken whole as the error (as openai 7 does).
 */
function keepingBareErrorBodies(Base: typeof OpenAI): typeof OpenAI {
  return class extends Base {
    protected override makeStatusError(status: number, error: object, message: string | undefined, headers: Headers) {
      const bare = error !== null && typeof error === 'object' && (error as { error?: unknown }).error == null;
      return super.makeStatusError(status, bare ? { error } : error, message, headers);
    }
  };
}

/**
 * The openai SDK, loaded on first use so that extension activation does not pay for it, and a
 * client configured for one profile. The SDK never retries (Ponder retries itself so that each
 * retry is an event) and never reads OPENAI_* organisation/project variables, which would send
 * OpenAI account headers to another provider.
 */
let sdk: Promise<typeof OpenAI> | undefined;
export function loadSdk(): Promise<typeof OpenAI> {
  // `require`: its CommonJS build, as in the bundles (dist/*.js are CommonJS), here too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= Promise.resolve().then(() => keepingBareErrorBodies((require('openai') as typeof import('openai')).default));
  return sdk;
}

export async function createClient(p: ResolvedProfile, key: string | undefined): Promise<OpenAI> {
  const OpenAIClass = await loadSdk();
  const headers: Record<string, string | null> = { ...p.headers };
  // The SDK insists on an apiKey and sends it as Bearer; where the key goes elsewhere (or
  // nowhere), the Authorization header is removed again.
  const bearer = key && (p.auth === 'entra' || p.authHeader === 'bearer');
  if (key && p.auth !== 'entra' && p.authHeader === 'api-key') headers['api-key'] = key;
  if (!bearer) headers['Authorization'] = null;
  return new OpenAIClass({
    baseURL: p.baseUrl,
    apiKey: bearer ? key : 'no-key',
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: p.timeoutSeconds * 1000,
    defaultHeaders: headers,
    defaultQuery: p.apiVersion ? { 'api-version': p.apiVersion } : undefined,
    fetch: filteringFetch(sameOriginFetch()),
    logLevel: 'off',
  });
}
