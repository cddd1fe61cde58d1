import * as vscode from 'vscode';
import type { PonderModule, PonderServices } from '../services';
import { loadProfiles } from '../profiles';
import { clearApiKey, getApiKey, normalizeKey, storeApiKey } from '../secrets';
import type { ResolvedProfile } from '../../core/model/types';

/**
 * `Ponder: Set API Key` and `Ponder: Clear API Key`. Both take an optional profile id argument
 * (an error's "Set API Key" button passes it); without one they ask which profile.
 */
export const keysModule: PonderModule = {
  name: 'keys',
  register(services) {
    services.context.subscriptions.push(
      vscode.commands.registerCommand('ponder.setApiKey', (profileId?: unknown) => setKey(services, typeof profileId === 'string' ? profileId : undefined)),
      vscode.commands.registerCommand('ponder.clearApiKey', (profileId?: unknown) => clearKey(services, typeof profileId === 'string' ? profileId : undefined)),
    );
  },
};

async function pickProfile(services: PonderServices, candidates: ResolvedProfile[], placeHolder: string): Promise<ResolvedProfile | undefined> {
  if (candidates.length === 1) return candidates[0];
  const items = await Promise.all(candidates.map(async (p) => ({
    label: p.label, description: p.baseUrl, detail: (await getApiKey(services, p.id)) ? 'A key is stored' : 'No key stored', profile: p,
  })));
  return (await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true }))?.profile;
}

async function setKey(services: PonderServices, profileId: string | undefined): Promise<boolean> {
  const { profiles } = loadProfiles(services);
  let profile = profileId ? profiles.find((p) => p.id === profileId) : undefined;
  if (profileId && !profile) {
    void vscode.window.showErrorMessage(`No endpoint profile "${profileId}" in "ponder.endpoints".`);
    return false;
  }
  if (!profile) {
    const keyed = profiles.filter((p) => p.auth === 'apiKey');
    if (!keyed.length) {
      const open = await vscode.window.showInformationMessage('No endpoint profile uses an API key. Add a profile with "auth": "apiKey" to "ponder.endpoints" first.', 'Open Settings');
      if (open) void vscode.commands.executeCommand('workbench.action.openSettings', 'ponder.endpoints');
      return false;
    }
    profile = await pickProfile(services, keyed, 'Set the API key for which endpoint?');
    if (!profile) return false;
  }
  const raw = await vscode.window.showInputBox({
    title: `API key for ${profile.label}`,
    prompt: `Key for ${profile.baseUrl}. Stored in VS Code's secret storage, never in settings.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => normalizeKey(v).problem,
  });
  if (raw === undefined) return false;
  try {
    await storeApiKey(services, profile.id, raw);
  } catch (err) {
    void vscode.window.showErrorMessage(err instanceof Error ? err.message : String(err));
    return false;
  }
  services.log.info(`API key stored for endpoint profile "${profile.id}".`);
  void vscode.window.showInformationMessage(`Ponder: API key stored for "${profile.label}".`);
  return true;
}

async function clearKey(services: PonderServices, profileId: string | undefined): Promise<boolean> {
  const { profiles } = loadProfiles(services);
  let id = profileId;
  if (!id) {
    const stored: ResolvedProfile[] = [];
    for (const p of profiles) if (await getApiKey(services, p.id)) stored.push(p);
    if (!stored.length) {
      void vscode.window.showInformationMessage('Ponder: no API keys are stored.');
      return false;
    }
    id = (await pickProfile(services, stored, 'Clear the API key of which endpoint?'))?.id;
    if (!id) return false;
  }
  const had = await clearApiKey(services, id);
  services.log.info(`API key ${had ? 'cleared' : 'was not stored'} for endpoint profile "${id}".`);
  void vscode.window.showInformationMessage(had ? `Ponder: API key cleared for "${id}".` : `Ponder: no API key was stored for "${id}".`);
  return had;
}
