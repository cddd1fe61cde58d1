import * as vscode from 'vscode';
import { EFFORTS, effortControl, isEffort } from '../../core/model/effort';
import type { ReasoningEffort, ResolvedProfile } from '../../core/model/types';
import type { EndpointState } from './state';

/** workspaceState key of the reasoning effort picked for the next requests (absent: each profile's own). */
export const EFFORT_KEY = 'ponder.reasoningEffort';

/**
 * The reasoning effort the user picked for the next requests: from the sidebar header, Select
 * Endpoint or "Ponder: Set Reasoning Effort", without editing settings. Sent only to endpoints
 * that take one (effortControl); the others ignore it and the pickers do not offer it for them.
 */
export class EffortState implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly memento: vscode.Memento) {}

  dispose(): void {
    this.emitter.dispose();
  }

  get value(): ReasoningEffort | undefined {
    const v = this.memento.get<string>(EFFORT_KEY);
    return isEffort(v) ? v : undefined;
  }

  async set(effort: ReasoningEffort | undefined): Promise<void> {
    await this.memento.update(EFFORT_KEY, effort);
    this.emitter.fire();
  }
}

/** The profile a plain request goes to now, if any. */
export function activeProfile(endpoints: EndpointState): ResolvedProfile | undefined {
  try { return endpoints.activeRoute().profile; } catch { return undefined; }
}

/** "high", "default (medium)", "default" for a profile that takes an effort; undefined when it takes none. */
export function effortLabel(effort: EffortState, p: ResolvedProfile | undefined): string | undefined {
  if (!p || !effortControl(p)) return undefined;
  const picked = effort.value;
  if (picked) return picked;
  return p.reasoningEffort ? `default (${p.reasoningEffort})` : 'default';
}

interface EffortItem extends vscode.QuickPickItem { effort?: ReasoningEffort }

const DESCRIPTIONS: Record<ReasoningEffort, string> = {
  low: 'fastest, fewest reasoning tokens',
  medium: 'balanced',
  high: 'most thorough, most reasoning tokens (slower, costs more)',
};

/** "Ponder: Set Reasoning Effort": low / medium / high / the profile's default, for the active endpoint. */
export async function pickEffort(effort: EffortState, profile: ResolvedProfile | undefined): Promise<void> {
  if (!profile) {
    void vscode.window.showInformationMessage('Ponder: no endpoint is configured yet, so there is no reasoning effort to set.');
    return;
  }
  if (!effortControl(profile)) {
    void vscode.window.showInformationMessage(`Ponder: ${profile.label} (${profile.model ?? profile.provider}) takes no reasoning-effort setting, so none is sent to it.`);
    return;
  }
  const current = effort.value;
  const items: EffortItem[] = [
    { label: `${current ? '' : '$(check) '}Default`, description: profile.reasoningEffort ? `the profile's setting: ${profile.reasoningEffort}` : 'the server decides (nothing sent)' },
    ...EFFORTS.map((e) => ({ effort: e, label: `${current === e ? '$(check) ' : ''}${e[0].toUpperCase()}${e.slice(1)}`, description: DESCRIPTIONS[e] })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Ponder: Reasoning Effort',
    placeHolder: `For the next requests to ${profile.label} and other endpoints that take one (sent as ${effortControl(profile) === 'openrouter' ? 'reasoning.effort' : 'reasoning_effort'})`,
  });
  if (!picked) return;
  await effort.set(picked.effort);
}
