import { FOUNDRY_ROUTES } from './profiles';
import type { ModelError, ResolvedProfile } from './types';

/**
 * What a Foundry user needs to hear when a request fails: the route that was tried against the
 * routes Microsoft documents, how the credential was sent, the quota tier of new MAI deployments,
 * and the safety system's blocks (output safety mid-stream, input safety as a 400).
 */

/** The Entra scope Foundry's MAI route (and Azure OpenAI) take. */
export const FOUNDRY_ENTRA_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** A SafetyBlockedError event, or a 400 whose body or text names the safety system or content filter. */
export function isSafetyBlock(error: unknown, text = ''): boolean {
  const e = error as { type?: unknown; code?: unknown } | undefined;
  if (e && typeof e === 'object' && (e.type === 'SafetyBlockedError' || e.code === 'content_filter')) return true;
  return /SafetyBlockedError|content[_ ]filter|input safety|ResponsibleAIPolicyViolation/i.test(text);
}

/** The full URL a chat request went to. */
export function chatUrl(p: ResolvedProfile): string {
  return `${p.baseUrl}/chat/completions${p.apiVersion ? `?api-version=${p.apiVersion}` : ''}`;
}

export function foundry404(p: ResolvedProfile, model: string, server: string): Omit<ModelError, 'status'> {
  const api = p.foundryApi ?? 'mai';
  return {
    kind: 'not-found',
    message: `Foundry answered 404 Not Found for POST ${chatUrl(p)} (model "${model}", the "${api}" API)${server ? `: ${server}` : ''}.`,
    action: [
      `Check the endpoint and the deployment name on the deployment's Details tab in the Foundry portal; "model" is the deployment name, not the model's name.`,
      `Documented routes: ${FOUNDRY_ROUTES.mai}; ${FOUNDRY_ROUTES.openai}; ${FOUNDRY_ROUTES.classic}.`,
      `Profile "${p.id}" is on the "${api}" API: set "foundryApi" ("mai", "openai" or "classic") if that is wrong.`,
    ].join(' '),
  };
}

/** How the credential went out, and what Foundry takes, for a 401/403. */
export function foundryAuthHow(p: ResolvedProfile, hadKey: boolean): { sent: string; hint: string } {
  const sent = p.auth === 'entra'
    ? `sent as "Authorization: Bearer" (Entra ID token for ${FOUNDRY_ENTRA_SCOPE})`
    : !hadKey ? '(no credential was sent)'
      : p.authHeader === 'api-key' ? 'sent in the "api-key" header' : 'sent as "Authorization: Bearer"';
  const hint = `Foundry takes a resource key in the "api-key" header ("auth": "apiKey") or a Microsoft Entra ID token for the scope ${FOUNDRY_ENTRA_SCOPE} as "Authorization: Bearer" ("auth": "entra"); the key is on the deployment's Details tab in the Foundry portal (or Keys and Endpoint in the Azure portal).`;
  return { sent, hint };
}

export function foundryQuotaHint(p: ResolvedProfile): string {
  return `If the deployment "${p.model ?? ''}" is new: MAI-Thinking-1 deployments start on the Low tier with 0 tokens and 0 requests per minute, so every request is refused with 429 until quota is granted. Request more (Medium: 100K TPM, High: 250K TPM) on the Quota page of the Foundry portal (Operate > Quota) or through your Azure account team.`;
}
