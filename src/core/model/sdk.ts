import type OpenAI from 'openai';
import { filteringFetch } from './sseFilter';
import { sameOriginFetch } from './redirectGuard';
import type { ResolvedProfile } from './types';

/**
 * The openai SDK, loaded on first use so that extension activation does not pay for it, and a
 * client configured for one profile. The SDK never retries (Ponder retries itself so that each
 * retry is an event) and never reads OPENAI_* organisation/project variables, which would send
 * OpenAI account headers to another provider.
 */
let sdk: Promise<typeof import('openai')> | undefined;
export function loadSdk(): Promise<typeof import('openai')> {
  // `require`: its CommonJS build, as in the bundles (dist/*.js are CommonJS), here too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sdk ??= Promise.resolve().then(() => require('openai') as typeof import('openai'));
  return sdk;
}

export async function createClient(p: ResolvedProfile, key: string | undefined): Promise<OpenAI> {
  const { default: OpenAIClass } = await loadSdk();
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
