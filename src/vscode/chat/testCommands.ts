import * as vscode from 'vscode';
import type { PonderServices } from '../services';
import type { ApprovalBroker } from './approvals';
import type { ChatRunner } from './chatRunner';
import type { ChatTranscript } from './participant';

/**
 * Read-only views for the integration tests, registered only in test mode: what the Chat view
 * was sent (each answer's markdown and buttons), the approvals waiting, the running requests and
 * a request's events. Answers to approvals go through the real `ponder.resolveToolApproval`.
 */
export function registerTestCommands(services: PonderServices, runner: ChatRunner, broker: ApprovalBroker, transcripts: ChatTranscript[]): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('ponder._test.chatResponses', () => transcripts.map((t) => ({ ...t }))),
    vscode.commands.registerCommand('ponder._test.pendingApprovals', () => broker.list()),
    vscode.commands.registerCommand('ponder._test.runningRequests', () => runner.running.ids()),
    vscode.commands.registerCommand('ponder._test.trace', (requestId?: string) => {
      const id = requestId ?? services.traces.list()[0]?.requestId;
      return id ? services.traces.get(id)?.events ?? [] : [];
    }),
  ];
}
