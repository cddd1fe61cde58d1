import type { PonderServices } from './services';
import type { ResolvedProfile } from '../core/model/types';
import { getEntraToken } from './entra';

/**
 * API keys live only in VS Code's SecretStorage, one per endpoint profile, under a namespaced
 * key. They are never read from settings, never logged, never put in an event or an error.
 */
export const secretKeyFor = (profileId: string): string => `ponder.apiKey.${profileId}`;

/** Trims a pasted key; undefined with a reason when it cannot be a key. */
export function normalizeKey(raw: string | undefined): { key?: string; problem?: string } {
  const key = (raw ?? '').trim();
  if (!key) return { problem: 'The key cannot be empty.' };
  if (/\s/.test(key)) return { problem: 'A key has no spaces or line breaks: paste only the key.' };
  return { key };
}

export async function getApiKey(services: Pick<PonderServices, 'context'>, profileId: string): Promise<string | undefined> {
  return (await services.context.secrets.get(secretKeyFor(profileId))) || undefined;
}

export async function storeApiKey(services: Pick<PonderServices, 'context'>, profileId: string, raw: string): Promise<void> {
  const { key, problem } = normalizeKey(raw);
  if (!key) throw new Error(problem);
  await services.context.secrets.store(secretKeyFor(profileId), key);
}

export async function clearApiKey(services: Pick<PonderServices, 'context'>, profileId: string): Promise<boolean> {
  const had = (await getApiKey(services, profileId)) !== undefined;
  await services.context.secrets.delete(secretKeyFor(profileId));
  return had;
}

/**
 * The credential a request to `profile` sends: the stored key (apiKey auth), a Microsoft Entra
 * ID token (entra auth; may ask the user to sign in when `interactive`), or nothing.
 */
export async function getCredential(services: Pick<PonderServices, 'context' | 'log'>, profile: ResolvedProfile, opts: { interactive?: boolean } = {}): Promise<string | undefined> {
  if (profile.auth === 'none') return undefined;
  if (profile.auth === 'entra') return getEntraToken(services, { interactive: opts.interactive ?? true });
  return getApiKey(services, profile.id);
}

/** `getApiKey(profileId)` for the request runner, Entra-aware: looks the profile up by id. */
export function credentialLookup(services: Pick<PonderServices, 'context' | 'log'>, profiles: () => ResolvedProfile[]): (profileId: string) => Promise<string | undefined> {
  return async (profileId) => {
    const profile = profiles().find((p) => p.id === profileId);
    return profile ? getCredential(services, profile) : getApiKey(services, profileId);
  };
}
