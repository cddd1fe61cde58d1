import * as vscode from 'vscode';
import type { ChatTranscript } from '../chat/participant';
import { openInChat } from '../chat/openInChat';
import type { PonderServices } from '../services';
import { UNTRUSTED_AGENT, VsCodeAgent, type AgentDeps } from './agentRunner';
import { AgentChanges } from './changes';
import { AgentCheckpoints } from './checkpoints';
import { createAgentChatHandler } from './chatAgent';
import { AgentOriginals } from './review';
import { modalConflictAsk } from './undo';

/**
 * Agent mode in VS Code: `@ponder /agent` (the handler is returned for the participant), and the
 * palette's Start Agent Task, Undo Agent Changes and Review Agent Changes.
 */
export function registerAgent(services: PonderServices, deps: Omit<AgentDeps, 'checkpoints'>, transcripts: ChatTranscript[]): vscode.ChatRequestHandler {
  const { context, log, settings, traces } = services;
  const checkpoints = new AgentCheckpoints(context.storageUri, log);
  const agent = new VsCodeAgent(services, { ...deps, checkpoints });
  const changes = new AgentChanges(checkpoints, traces, log, modalConflictAsk);
  const originals = new AgentOriginals(async (taskId, rel) => {
    const cp = await checkpoints.open(taskId);
    const change = (await cp?.changes())?.find((c) => c.path === rel || c.from === rel);
    return change?.before ?? undefined;
  });

  const runInSidebar = async (task: string): Promise<string | undefined> => {
    let shown = false;
    const outcome = await agent.run({
      task,
      onEvent: (e) => {
        if (e.type === 'request.start' && !shown) {
          shown = true;
          void vscode.commands.executeCommand('ponder.showTrace', e.requestId);
        }
      },
      onNote: (text) => void vscode.window.showInformationMessage(`Ponder: ${text}`),
    });
    if (!outcome.ok) {
      void vscode.window.showWarningMessage(`Ponder: ${outcome.refused}`);
      return undefined;
    }
    const r = outcome.result;
    const actions = r.files.length ? ['Review Changes', 'Undo Agent Changes'] : [];
    void (r.ok ? vscode.window.showInformationMessage(`Ponder agent: ${r.message}`, ...actions) : vscode.window.showWarningMessage(`Ponder agent: ${r.message}`, ...actions)).then((picked) => {
      const chosen = picked === 'Review Changes' ? changes.review(r.taskId) : picked === 'Undo Agent Changes' ? changes.undo(r.taskId) : undefined;
      // Not a command run by VS Code, which would show the error: say it here.
      chosen?.catch((err: unknown) => {
        const text = err instanceof Error ? err.message : String(err);
        log.error(`Ponder agent ${r.taskId}: ${picked} failed: ${text}`);
        void vscode.window.showErrorMessage(`Ponder: ${picked} failed: ${text}`);
      });
    });
    return r.taskId;
  };

  context.subscriptions.push(
    originals,
    vscode.commands.registerCommand('ponder.agent.start', async (arg?: unknown) => {
      if (!vscode.workspace.isTrusted) {
        const picked = await vscode.window.showWarningMessage(`Ponder: ${UNTRUSTED_AGENT}`, 'Manage Workspace Trust');
        if (picked) await vscode.commands.executeCommand('workbench.trust.manage');
        return undefined;
      }
      const typed = typeof arg === 'string' ? arg : await vscode.window.showInputBox({
        title: 'Ponder: Start Agent Task',
        prompt: 'What should the agent do? It keeps a plan, edits files and runs the checks; Undo Agent Changes takes every change back.',
        placeHolder: 'Make remove() ignore unknown skus and add a test for it',
        ignoreFocusOut: true,
      });
      const task = typed?.trim();
      if (!task) return undefined;
      if (settings.get('ponder.commands.target') === 'sidebar') return runInSidebar(task);
      const opened = await openInChat(`@ponder /agent ${task}`, log);
      if (opened.ok) return undefined;
      void vscode.window.showWarningMessage(`Ponder: the Chat view could not take the task (${opened.reason}), so it runs in the Ponder sidebar.`);
      return runInSidebar(task);
    }),
    vscode.commands.registerCommand('ponder.agent.undo', (taskId?: unknown) => changes.undo(taskId)),
    vscode.commands.registerCommand('ponder.agent.review', (taskId?: unknown) => changes.review(taskId)),
  );
  void checkpoints.refresh().catch((err: unknown) => log.warn(`Ponder agent: could not read the checkpoints: ${String(err)}`));
  return createAgentChatHandler(agent, transcripts);
}
