import * as vscode from 'vscode';
import { NodeWorkspace } from '../../core/context/nodeWorkspace';
import { countTokens } from '../../core/tokens';
import { streamTurn } from '../../core/model/client';
import type { PonderModule, PonderServices } from '../services';
import { askBudgetDecision } from '../spend';
import { credentialLookup, getCredential } from '../secrets';
import { logRequests } from '../requestLog';
import { ApprovalBroker } from '../chat/approvals';
import { ChatRunner } from '../chat/chatRunner';
import { registerChatCommands } from '../chat/commands';
import { EditProposals } from '../chat/editProposals';
import { createChatHandler, followupProvider, PARTICIPANT_ID, type ChatTranscript } from '../chat/participant';
import { workspaceRoots } from '../editor/roots';
import { registerTestCommands } from '../chat/testCommands';
import { PonderLanguageModelProvider } from '../lm/provider';
import { registerAgent } from '../agent/register';
import type { EditorPort } from '../../core/editor/port';

/**
 * `@ponder` in the Chat view, the palette and editor commands, tool approvals and the VS Code
 * side of the tools, and Ponder's endpoints as language models in the model picker.
 */
export const chatModule: PonderModule = {
  name: 'chat',
  register: registerChat,
};

function registerChat(services: PonderServices): void {
  const { context, log, endpoints } = services;
  const broker = new ApprovalBroker();
  const proposals = new EditProposals();
  const credentials = credentialLookup(services, () => endpoints.config.profiles);
  const runner = new ChatRunner(services, broker, proposals, {
    getApiKey: credentials,
    workspacePort: () => workspacePortFor(services),
    ledger: () => services.spend.ledger,
    confirmBudget: askBudgetDecision,
  });
  const transcripts: ChatTranscript[] = [];
  const agent = registerAgent(services, { runner, broker, proposals, getApiKey: credentials, ledger: () => services.spend.ledger, workspacePort: () => workspacePortFor(services) }, transcripts);

  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, createChatHandler(runner, transcripts, agent));
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'ponder.svg');
  participant.followupProvider = followupProvider;

  const lm = new PonderLanguageModelProvider({
    profiles: () => endpoints.config.profiles,
    autoProfile: () => {
      try {
        return endpoints.activeRoute().profile;
      } catch {
        return endpoints.config.profiles[0];
      }
    },
    credential: (profile) => getCredential(services, profile),
    streamTurn: (req) => streamTurn({ ...req, memory: services.endpointMemory }),
    countTokens,
    onDidChangeProfiles: endpoints.onDidChange,
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
  if (PONDER_TEST_HOOKS && services.testMode) context.subscriptions.push(...registerTestCommands(services, runner, broker, transcripts));
}

/** The window's workspace port (open documents win, index kept warm); the plain file system without a file-system folder. */
function workspacePortFor(services: PonderServices): EditorPort | undefined {
  if (services.workspace.roots().length) return services.workspace;
  const roots = workspaceRoots();
  return roots.length ? new NodeWorkspace(roots) : undefined;
}
