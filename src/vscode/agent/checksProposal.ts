import * as vscode from 'vscode';

/** Remembered per workspace: the discovered checks were shown once, whatever the answer. */
export const PROPOSED_KEY = 'ponder.agent.checksProposed';

export interface AgentCheck { name: string; command: string }
export interface DiscoveredCheck extends AgentCheck { source?: string }

interface CheckItem extends vscode.QuickPickItem { check: AgentCheck }

/**
 * The checks the agent runs. On the first agent task in a workspace whose settings name none,
 * the checks found in its manifests are proposed once (all picked); the user's pick is saved in
 * the workspace's `ponder.agent.checks`, where it can be changed later. Dismissed, nothing is
 * saved and the task runs without checks (and says so).
 */
export async function checksForTask(state: vscode.Memento, current: readonly AgentCheck[], discover: () => Promise<DiscoveredCheck[]>, log: vscode.LogOutputChannel): Promise<{ checks: AgentCheck[]; note?: string }> {
  const config = vscode.workspace.getConfiguration('ponder.agent');
  const inspected = config.inspect<unknown[]>('checks');
  const configured = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
  if (configured !== undefined || state.get<boolean>(PROPOSED_KEY)) return { checks: [...current] };

  let found: DiscoveredCheck[] = [];
  try {
    found = await discover();
  } catch (err) {
    log.warn(`Ponder agent: could not look for the project's checks: ${err instanceof Error ? err.message : String(err)}`);
  }
  await state.update(PROPOSED_KEY, true);
  if (!found.length) return { checks: [], note: 'No checks found in this workspace (package.json scripts and other manifests): the agent runs none. Name them in ponder.agent.checks.' };

  const picked = await pickChecks(found);
  if (!picked) return { checks: [], note: 'No checks chosen, so the agent runs none in this task. Name them in ponder.agent.checks.' };
  await config.update('checks', picked, vscode.ConfigurationTarget.Workspace);
  log.info(`Ponder agent: saved the checks ${JSON.stringify(picked)} in this workspace's ponder.agent.checks.`);
  const names = picked.map((c) => c.command).join(', ');
  return { checks: picked, note: picked.length ? `Saved the checks (${names}) in this workspace's ponder.agent.checks.` : 'Saved: no checks for this workspace (ponder.agent.checks).' };
}

function pickChecks(found: DiscoveredCheck[]): Promise<AgentCheck[] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<CheckItem>();
    qp.title = 'Ponder: the checks the agent runs after it changes files';
    qp.placeholder = 'Found in this workspace. Enter saves your pick in ponder.agent.checks (workspace settings); Escape runs this task without checks';
    qp.canSelectMany = true;
    qp.ignoreFocusOut = true;
    qp.items = found.map((c) => ({ label: c.command, description: c.name !== c.command ? c.name : undefined, detail: c.source ? `from ${c.source}` : undefined, check: { name: c.name, command: c.command } }));
    qp.selectedItems = qp.items;
    let done = false;
    qp.onDidAccept(() => {
      done = true;
      const picks = qp.selectedItems.map((i) => i.check);
      qp.hide();
      resolve(picks);
    });
    qp.onDidHide(() => {
      qp.dispose();
      if (!done) resolve(undefined);
    });
    qp.show();
  });
}
