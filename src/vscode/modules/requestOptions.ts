import * as vscode from 'vscode';
import type { PonderModule } from '../modules';
import { activeProfile, effortLabel, effortState, pickEffort } from '../endpoints/effort';
import { endpointState } from '../endpoints/state';
import { sidebarHeader } from '../sidebar/header';
import { isTestMode } from '../sidebar/register';
import type { ReasoningEffort } from '../../core/model/types';

/**
 * Per-request options the user sets without editing settings: the reasoning effort (command,
 * sidebar header, Select Endpoint), shown in the header for the endpoint requests go to now.
 */
export const requestOptionsModule: PonderModule = {
  name: 'requestOptions',
  register(services) {
    const { context } = services;
    effortState.attach(context.workspaceState);
    const update = () => {
      const label = effortLabel(activeProfile());
      const next = label ? { label } : undefined;
      if (JSON.stringify(next) !== JSON.stringify(sidebarHeader.get().effort)) sidebarHeader.set({ effort: next });
    };
    context.subscriptions.push(
      vscode.commands.registerCommand('ponder.selectReasoningEffort', () => pickEffort()),
      effortState.onDidChange(update),
      endpointState.onDidChange(update),
    );
    if (isTestMode(context)) context.subscriptions.push(vscode.commands.registerCommand('ponder._test.setEffort', (e?: ReasoningEffort) => effortState.set(e)));
    setTimeout(update, 0);
  },
};
