import * as vscode from 'vscode';
import { NodeWorkspace } from '../../core/context/nodeWorkspace';
import { countTokens } from '../../core/tokens';
import { streamTurn } from '../../core/model/client';
import type { PonderModule } from '../modules';
import type { PonderServices } from '../services';
import { endpointState } from '../endpoints/state';
import { askBudgetDecision, spendState } from '../spend';
import { isTestMode } from '../sidebar/register';
import { credentialLookup, getCredential } from '../secrets';
import { logRequests } from '../requestLog';
import { ApprovalBroker } from '../chat/approvals';
import { ChatRunner } from '../chat/chatRunner';
import { registerChatCommands } from '../chat/commands';
import { EditProposals } from '../chat/editProposals';
import { createChatHandler, followupProvider, PARTICIPANT_ID, type ChatTranscript } from '../chat/participant';
import { workspaceRoots } from '../chat/toolHost';
import { registerTestCommands } from '../chat/testCommands';
import { PonderLanguageModelProvider } from '../lm/provider';
import { contextWorkspacePort } from './context';

/**
 * `@ponder` in the Chat view, the palette and editor commands, tool approvals and the VS Code
 * side of the tools, and Ponder's endpoints as language models in the model picker.
 */
export const chatModule: PonderModule = {
  name: 'chat',
  register(services) {
    registerChat(services);
  },
};

function registerChat(services: PonderServices): void {
  const { context, log } = services;
  const broker = new ApprovalBroker();
  const proposals = new EditProposals();
  const credentials = credentialLookup(services, () => endpointState.config.profiles);
  const runner = new ChatRunner(services, broker, proposals, {
    getApiKey: credentials,
    workspacePort: () => workspacePortFor(),
    ledger: () => spendState.ledger,
    confirmBudget: askBudgetDecision,
  });
  const transcripts: ChatTranscript[] = [];

  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, createChatHandler(runner, transcripts));
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'ponder.svg');
  participant.followupProvider = followupProvider;

  const lm = new PonderLanguageModelProvider({
    profiles: () => endpointState.config.profiles,
    autoProfile: () => {
      try {
        return endpointState.activeRoute().profile;
      } catch {
        return endpointState.config.profiles[0];
      }
    },
    credential: (profile) => getCredential(services, profile),
    streamTurn,
    countTokens,
    onDidChangeProfiles: endpointState.onDidChange,
    sink: (e) => services.traces.add(e),
  }, log);

  context.subscriptions.push(
    participant,
    proposals,
    lm,
    vscode.lm.registerLanguageModelChatProvider('ponder', lm),
    ...registerChatCommands(services, runner, broker),
    { dispose: () => runner.running.cancelAll() },
    logRequests(services.traces, log),
    vscode.commands.registerCommand('ponder.summarizeChatHistory', () => {
      runner.requestSummary();
      void vscode.window.showInformationMessage('Ponder: your next question to @ponder in this chat carries a short summary of the earlier turns instead of all of them.');
    }),
  );
  if (isTestMode(context)) context.subscriptions.push(...registerTestCommands(services, runner, broker, transcripts));
}

/** H3's workspace port over VS Code (open documents win, index kept warm); plain file system without it. */
function workspacePortFor(): import('../../core/context/types').WorkspacePort | undefined {
  const vscodePort = contextWorkspacePort();
  if (vscodePort) return vscodePort;
  const roots = workspaceRoots();
  return roots.length ? new NodeWorkspace(roots) : undefined;
}
