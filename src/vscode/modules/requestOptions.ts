import * as vscode from 'vscode';
import type { PonderModule } from '../services';
import { activeProfile, effortLabel, pickEffort } from '../endpoints/effort';
import type { ReasoningEffort } from '../../core/model/types';

/**
 * Per-request options the user sets without editing settings: the reasoning effort (command,
 * sidebar header, Select Endpoint), shown in the header for the endpoint requests go to now.
 */
export const requestOptionsModule: PonderModule = {
  name: 'requestOptions',
  register(services) {
    const { context, effort, endpoints, header } = services;
    const update = () => {
      const label = effortLabel(effort, activeProfile(endpoints));
      const next = label ? { label } : undefined;
      if (JSON.stringify(next) !== JSON.stringify(header.get().effort)) header.set({ effort: next });
    };
    context.subscriptions.push(
      vscode.commands.registerCommand('ponder.selectReasoningEffort', () => pickEffort(effort, activeProfile(endpoints))),
      effort.onDidChange(update),
      endpoints.onDidChange(update),
    );
    if (PONDER_TEST_HOOKS && services.testMode) context.subscriptions.push(vscode.commands.registerCommand('ponder._test.setEffort', (e?: ReasoningEffort) => effort.set(e)));
    setTimeout(update, 0);
  },
};
