import * as vscode from 'vscode';
import type { PonderServices } from './services';

/**
 * Microsoft Entra ID for Foundry through VS Code's built-in `microsoft` authentication provider:
 * no key to store, the token is sent as Bearer. VS Code caches and refreshes the session.
 */
export const FOUNDRY_SCOPES = ['https://cognitiveservices.azure.com/.default'];

export async function getEntraToken(services: Pick<PonderServices, 'log'>, opts: { interactive?: boolean } = {}): Promise<string | undefined> {
  try {
    const session = opts.interactive === false
      ? await vscode.authentication.getSession('microsoft', FOUNDRY_SCOPES, { silent: true })
      : await vscode.authentication.getSession('microsoft', FOUNDRY_SCOPES, { createIfNone: { detail: 'Ponder signs in to Microsoft Foundry with your Microsoft account (Entra ID) instead of an API key.' } });
    return session?.accessToken;
  } catch (err) {
    // The user dismissed the sign-in, or no Microsoft provider is available (e.g. some web builds).
    services.log.warn(`Microsoft sign-in for Foundry did not complete: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}
