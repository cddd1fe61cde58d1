import type { ResolvedProfile } from './types';

/**
 * Whether a key may go to an endpoint, decided in one place. A profile with `auth: "none"` never
 * gets one. A profile that a repository's own settings brought in (`.vscode/settings.json` of
 * the folder being asked about) gets the user's key only when the user named that profile; a
 * repository could otherwise point its default at a server of its choosing. A key over plain
 * http to a host that is not this machine goes with a warning.
 */
export type KeyDecision = { send: true; warning?: string } | { send: false; reason?: string };

export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try { host = new URL(url).hostname.toLowerCase(); } catch { return false; }
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === '::1';
}

/** The warning for a key about to travel unencrypted, or undefined. */
export function plainHttpWarning(p: ResolvedProfile): string | undefined {
  if (!p.baseUrl?.startsWith('http://') || isLoopbackUrl(p.baseUrl)) return undefined;
  return `the key for "${p.id}" goes over plain http:// to ${new URL(p.baseUrl).host}, unencrypted: anyone on the network path can read it. Use https:// if the server offers it.`;
}

export function keyDecision(p: ResolvedProfile, opts: { fromRepository: boolean; namedByUser: boolean; settingsFile?: string; keySource: string }): KeyDecision {
  if (p.auth === 'none') return { send: false };
  if (opts.fromRepository && !opts.namedByUser) {
    return { send: false, reason: `not sending the key from ${opts.keySource} to "${p.id}" (${p.baseUrl}): that profile comes from the repository's own settings ${opts.settingsFile ?? ''}, which chose it. Name it with --endpoint ${p.id} if you trust it.` };
  }
  const warning = plainHttpWarning(p);
  return warning ? { send: true, warning } : { send: true };
}
