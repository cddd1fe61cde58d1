import * as vscode from 'vscode';
import type { HealthState } from '../../core/health';
import type { ResolvedProfile } from '../../core/model/types';
import { activeProfile, effortLabel } from './effort';
import type { PonderServices } from '../services';
import { hasHealth, healthIcon, healthLine, windowText } from './present';

const AUTOMATIC = '\u0000automatic';
/** What pickEndpoint returns when the user chose "Add Endpoint…". */
export const ADD_ENDPOINT = '\u0000add';
const EFFORT = '\u0000effort';

interface Item extends vscode.QuickPickItem { id: string }

/**
 * "Ponder: Select Endpoint": each profile with its health and context window, plus "Automatic"
 * (routing rules decide) and "Add Endpoint…". The list refreshes while open as the health checks come in.
 */
export async function pickEndpoint(services: Pick<PonderServices, 'endpoints' | 'effort'>, refresh: () => Promise<void>): Promise<string | undefined | null> {
  const { endpoints, effort: efforts } = services;
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Ponder: Select Endpoint';
  qp.placeholder = 'Endpoint for requests in this workspace (the choice wins over routing rules)';
  qp.matchOnDescription = true;
  const build = () => {
    const { profiles, configured } = endpoints.config;
    const selected = endpoints.selected;
    let auto = '';
    try { auto = endpoints.activeRoute().profile.id; } catch { /* no profiles: nothing to route to */ }
    const items: Item[] = [{
      id: AUTOMATIC,
      label: `${selected ? '' : '$(check) '}Automatic`,
      description: 'routing rules and ponder.defaultEndpoint decide',
      detail: selected ? undefined : `now: ${auto}`,
    }];
    for (const p of profiles) items.push(itemOf(p, endpoints.health(p.id), selected === p.id, configured.includes(p)));
    // Only for an endpoint that takes a reasoning effort (MAI on Foundry documents none).
    const effort = effortLabel(efforts, activeProfile(endpoints));
    if (effort) items.push({ id: EFFORT, label: `$(settings-gear) Reasoning effort: ${effort}`, description: 'for the next requests; pick low, medium or high' });
    items.push({ id: ADD_ENDPOINT, label: '$(add) Add Endpoint…', description: 'guided: Foundry, OpenRouter, vLLM or any OpenAI-compatible server, with a connection test' });
    const active = qp.activeItems[0]?.id;
    qp.items = items;
    const keep = items.find((i) => i.id === active);
    if (keep) qp.activeItems = [keep];
  };
  build();
  const changes = [endpoints.onDidChange(build), endpoints.onDidChangeHealth(build)];
  qp.busy = true;
  void refresh().finally(() => { qp.busy = false; }); // the poll never rejects: a server that fails to answer is a health state
  try {
    return await new Promise<string | undefined | null>((resolve) => {
      qp.onDidAccept(() => {
        const id = qp.selectedItems[0]?.id;
        if (id === EFFORT) { resolve(null); qp.hide(); void vscode.commands.executeCommand('ponder.selectReasoningEffort'); return; }
        resolve(id === AUTOMATIC ? undefined : id ?? null);
        qp.hide();
      });
      qp.onDidHide(() => resolve(null));
      qp.show();
    });
  } finally {
    for (const c of changes) c.dispose();
    qp.dispose();
  }
}

function itemOf(p: ResolvedProfile, h: HealthState | undefined, selected: boolean, configured: boolean): Item {
  return {
    id: p.id,
    label: `${selected ? '$(check) ' : ''}${p.label}`,
    description: [p.id !== p.label ? p.id : undefined, p.model, windowText(p)].filter(Boolean).join(' · '),
    detail: `${hasHealth(p, h, configured) ? healthIcon(h) + ' ' : ''}${healthLine(p, h, configured)}`,
  };
}
