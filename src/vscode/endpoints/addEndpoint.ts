import * as vscode from 'vscode';
import { testConnection, type ConnectionReport } from '../../core/model/connectionTest';
import { KINDS, kindInfo, profileFor, uniqueId, urlProblem, type KindInfo } from '../../core/config/newEndpoint';
import { streamTurn } from '../../core/model/client';
import { listModels } from '../../core/model/discovery';
import { describeError, scrubSecrets } from '../../core/model/errors';
import { resolveProfile } from '../../core/model/profiles';
import type { ModelInfo } from '../../core/model/types';
import type { PonderServices } from '../services';
import { normalizeKey, storeApiKey } from '../secrets';
import { BACK, inputStep, pickStep, type StepAnswer } from './quickInput';

const TITLE = 'Ponder: Add Endpoint';

interface Answers {
  kind?: KindInfo;
  url?: string;
  key?: string;
  model?: string;
  report?: ConnectionReport;
  /** The settings scope chosen in the last step. */
  scope?: 'user' | 'workspace';
}

type Step = (a: Answers, step: number, total: number) => Promise<StepAnswer<true>>;

/**
 * "Ponder: Add Endpoint…": what kind of endpoint, its URL (Foundry: the portal's resource
 * endpoint and the deployment name), the key, the model, a connection test, then where to save
 * it. Back goes one step back with the answers kept; Escape leaves nothing behind. The key goes
 * to SecretStorage, the profile to user or workspace settings, and the first profile becomes the
 * default. Resolves with the new profile's id, or undefined when the user left.
 */
export async function addEndpoint(services: PonderServices): Promise<string | undefined> {
  const a: Answers = {};
  const stepsFor = (kind: KindInfo | undefined): Step[] => [
    kindStep,
    ...(kind?.fixedUrl ? [] : [urlStep]),
    keyStep,
    modelStep,
    testStep,
  ];
  let i = 0;
  for (;;) {
    const steps = stepsFor(a.kind);
    if (i >= steps.length) break;
    const answer = await steps[i](a, i + 1, steps.length);
    if (answer === undefined) return undefined;
    if (answer === BACK) { i = Math.max(0, i - 1); continue; }
    i++;
  }
  return save(services, a);
}

const kindStep: Step = async (a, step, total) => {
  const items = KINDS.map((k) => ({ label: k.label, detail: k.detail, endpointKind: k.kind, picked: a.kind?.kind === k.kind }));
  const picked = await pickStep({ title: TITLE, step, totalSteps: total, placeholder: 'What kind of endpoint?', items });
  if (!picked || picked === BACK) return picked;
  if (a.kind?.kind !== picked.endpointKind) { a.url = undefined; a.model = undefined; a.report = undefined; }
  a.kind = kindInfo(picked.endpointKind);
  return true;
};

const urlStep: Step = async (a, step, total) => {
  const k = a.kind!;
  const value = await inputStep({
    title: `${TITLE}: ${k.label}`, step, totalSteps: total, prompt: k.url!.prompt, placeholder: k.url!.placeholder,
    value: a.url ?? k.url!.value, validate: (v) => urlProblem(k.kind, v),
  });
  if (value === undefined || value === BACK) return value;
  a.url = value.trim().replace(/\/+$/, '');
  return true;
};

const keyStep: Step = async (a, step, total) => {
  const k = a.kind!;
  const optional = k.key === 'optional';
  const value = await inputStep({
    title: `${TITLE}: ${k.label}`, step, totalSteps: total, password: true, value: a.key ?? '',
    prompt: optional ? 'API key, if the server was started with one (leave empty if it needs none). Stored in VS Code\'s SecretStorage, never in settings.'
      : 'API key. Stored in VS Code\'s SecretStorage (the OS keychain), never in settings.',
    placeholder: optional ? 'empty: no key' : k.kind === 'mai-foundry' ? 'Key 1 or Key 2 from the resource\'s Keys and Endpoint page' : 'sk-or-…',
    validate: (v) => (optional && !v.trim() ? undefined : normalizeKey(v).problem),
  });
  if (value === undefined || value === BACK) return value;
  a.key = value.trim() || undefined;
  return true;
};

const modelStep: Step = async (a, step, total) => {
  const k = a.kind!;
  if (!k.model.fromServer) {
    const value = await inputStep({
      title: `${TITLE}: ${k.label}`, step, totalSteps: total, prompt: k.model.prompt, value: a.model ?? k.model.value,
      validate: (v) => (v.trim() ? undefined : k.kind === 'mai-foundry' ? 'Enter the deployment name.' : 'Enter the model id.'),
    });
    if (value === undefined || value === BACK) return value;
    a.model = value.trim();
    return true;
  }
  // A self-hosted server says what it serves: pick from its list (the window comes with it).
  const draft = resolveProfile(profileFor({ kind: k.kind, url: a.url!, model: '', hasKey: !!a.key }, newId(k)));
  let listError = '';
  const loaded = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Ponder: reading the models of ${draft.baseUrl}…` }, () => listModels(draft, a.key).then(
    (models) => models.map((m) => modelItem(m)),
    (err: unknown) => { listError = scrubSecrets(describeError(err, { profile: draft, hadKey: !!a.key }).message, [a.key]); return [] as ReturnType<typeof modelItem>[]; },
  ));
  if (loaded.length) {
    const picked = await pickStep({ title: `${TITLE}: ${k.label}`, step, totalSteps: total, placeholder: `${k.model.prompt}: ${a.url} lists ${loaded.length}`, items: loaded });
    if (!picked || picked === BACK) return picked;
    a.model = picked.label;
    return true;
  }
  const value = await inputStep({
    title: `${TITLE}: ${k.label}`, step, totalSteps: total, value: a.model ?? '',
    prompt: `${listError ? `Could not list the server's models (${listError}). ` : 'The server lists no models. '}Type the model id, or leave empty for the server's default.`,
  });
  if (value === undefined || value === BACK) return value;
  a.model = value.trim();
  return true;
};

function modelItem(m: ModelInfo): vscode.QuickPickItem & { accept?: boolean } {
  return { label: m.id, description: m.contextWindow ? `${m.contextWindow.toLocaleString('en-US')} tokens context` : undefined, detail: m.ownedBy ? `owned by ${m.ownedBy}` : undefined };
}

interface SaveItem extends vscode.QuickPickItem { accept?: boolean; action?: 'user' | 'workspace' | 'retest' }

const testStep: Step = async (a, step, total) => {
  const k = a.kind!;
  for (;;) {
    const profile = resolveProfile(profileFor({ kind: k.kind, url: a.url ?? k.fixedUrl ?? '', model: a.model ?? '', hasKey: !!a.key }, newId(k)));
    a.report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Ponder: testing ${profile.baseUrl}…`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        try {
          progress.report({ message: 'listing models, then one short request' });
          return await testConnection(profile, a.key, {
            listModels, streamTurn, describe: (err, p, hadKey) => describeError(err, { profile: p, hadKey }).message,
          }, controller.signal);
        } finally {
          cancel.dispose();
        }
      },
    );
    const r = a.report;
    const hasWorkspace = !!vscode.workspace.workspaceFolders?.length;
    const items: SaveItem[] = [
      { label: 'What the test found', kind: vscode.QuickPickItemKind.Separator },
      ...r.lines.map((line) => ({ label: `$(${line.startsWith('Test request failed') ? 'error' : 'info'}) ${line}`, accept: false })),
      { label: 'Save', kind: vscode.QuickPickItemKind.Separator },
      { label: `$(person) ${r.ok ? 'Save' : 'Save anyway'} in User settings`, detail: 'For you, in every workspace.', action: 'user' },
      ...(hasWorkspace ? [{ label: `$(folder) ${r.ok ? 'Save' : 'Save anyway'} in Workspace settings`, detail: '.vscode/settings.json, shared with your team (the key stays on this machine).', action: 'workspace' as const }] : []),
      { label: '$(refresh) Test again', action: 'retest' },
    ];
    const picked = await pickStep({
      title: `${TITLE}: ${k.label}`, step, totalSteps: total, items,
      placeholder: r.ok ? `The connection works. Save "${profile.baseUrl}" where?` : `The test failed (see below). Go back to fix it, or save anyway.`,
    });
    if (!picked || picked === BACK) return picked;
    if (picked.action === 'retest') continue;
    a.scope = picked.action === 'workspace' ? 'workspace' : 'user';
    return true;
  }
};

/** The id the new profile will get: the kind's name, numbered if taken in any settings scope. */
function newId(k: KindInfo): string {
  const inspected = vscode.workspace.getConfiguration().inspect<unknown[]>('ponder.endpoints');
  const ids = [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].flatMap((v) => (Array.isArray(v) ? v : []))
    .map((p) => (p && typeof p === 'object' && 'id' in p ? String((p as { id: unknown }).id) : '')).filter(Boolean);
  return uniqueId(k.idBase, ids);
}

async function save(services: PonderServices, a: Answers): Promise<string> {
  const k = a.kind!;
  const where = a.scope ?? 'user';
  const target = where === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  const config = vscode.workspace.getConfiguration();
  const inspected = config.inspect<unknown[]>('ponder.endpoints');
  const id = newId(k);
  const profile = profileFor({ kind: k.kind, url: a.url ?? k.fixedUrl ?? '', model: a.model ?? '', hasKey: !!a.key }, id);
  const first = services.endpoints.config.configured.length === 0;
  // The key first, so the profile never exists without the key it needs.
  if (a.key) await storeApiKey(services, id, a.key);
  const current = (where === 'workspace' ? inspected?.workspaceValue : inspected?.globalValue) ?? [];
  await config.update('ponder.endpoints', [...(Array.isArray(current) ? current : []), profile], target);
  if (first) await config.update('ponder.defaultEndpoint', id, target);
  services.log.info(`Ponder: endpoint "${id}" (${profile.baseUrl}) added to ${where} settings${a.key ? ', its key stored in SecretStorage' : ''}${first ? '; it is the default endpoint' : ''}.`);
  const label = profile.label ?? id;
  void vscode.window.showInformationMessage(
    `Ponder: added "${label}" to ${where === 'workspace' ? 'Workspace' : 'User'} settings${first ? ' as the default endpoint' : ''}. Select code and run "Ponder: Explain Selection", or ask @ponder.`,
    ...(first ? [] : ['Select Endpoint']),
  ).then((c) => { if (c) void vscode.commands.executeCommand('ponder.selectEndpoint'); });
  return id;
}
