import * as vscode from 'vscode';
import { z } from 'zod';
import type { PonderServices } from '../services';
import type { ApprovalBroker } from './approvals';
import type { ChatRunner } from './chatRunner';
import { composeRequest } from './compose';
import { chatQuery, commandInstructions, isChatCommand, PALETTE_TO_CHAT, type ChatCommand } from './prompts';
import { editorScope } from './scope';
import { openInChat } from './openInChat';

const ResolveApprovalArgs = z.object({
  requestId: z.string().min(1),
  callId: z.string().min(1),
  allow: z.boolean(),
  forSession: z.boolean().optional(),
});

/** `ponder.cancelRequest` gets a request id from the sidebar, `{ requestId }` from menus, nothing from the palette. */
const CancelArg = z.union([z.string(), z.object({ requestId: z.string() }).loose()]).optional();

/**
 * The palette and editor commands. Each opens a new chat in the Chat view with `@ponder
 * /<command>` (the participant reads the active editor's selection), or, with `ponder.commands.target` set to
 * `sidebar`, runs the request directly and shows its trace in the sidebar.
 */
export function registerChatCommands(services: PonderServices, runner: ChatRunner, broker: ApprovalBroker): vscode.Disposable[] {
  const { log } = services;

  const runInSidebar = async (command: ChatCommand | undefined, typed: string): Promise<string> => {
    const scope = { ...editorScope(), openFiles: [], extras: [], attached: [] };
    const composed = await composeRequest(command, typed, scope, 'ask');
    for (const n of composed.notes) void vscode.window.showInformationMessage(`Ponder: ${n}`);
    let shown = false;
    const result = runner.run({
      command: composed.command, prompt: composed.prompt, instructions: composed.instructions,
      activeFile: scope.activeFile, selection: scope.selection, cursor: command && command !== 'review' ? scope.cursor : undefined,
      onEvent: (e) => {
        // Show the trace as soon as the request exists, so the user watches it stream.
        if (e.type === 'request.start' && !shown) {
          shown = true;
          void vscode.commands.executeCommand('ponder.showTrace', e.requestId);
        }
      },
    });
    const done = await result;
    if (!shown) await vscode.commands.executeCommand('ponder.showTrace', done.requestId);
    return done.requestId;
  };

  const paletteCommand = (id: string) => async (): Promise<string | undefined> => {
    const command = PALETTE_TO_CHAT[id];
    let typed = '';
    if (id === 'ponder.askRepository') {
      const question = await vscode.window.showInputBox({ title: 'Ponder: Ask About Repository', prompt: 'Your question about this repository', placeHolder: 'How does routing pick an endpoint?', ignoreFocusOut: true });
      if (!question?.trim()) return undefined;
      typed = question.trim();
    }
    if (services.settings.get('ponder.commands.target') === 'sidebar') return runInSidebar(command, typed);
    // The selection as the command read it, for the @ponder request it opens.
    // Ask About Repository is about the repository, not the editor; /review without a selection is about the diff.
    const scope = command ? editorScope() : {};
    runner.paletteScope.put(command, typed, command === 'review' ? { ...scope, cursor: undefined } : scope);
    const opened = await openInChat(chatQuery(command, typed), log);
    if (opened.ok) return undefined;
    // No Chat view to answer in (chat turned off, or it refused): answer in the sidebar and say why.
    void vscode.window.showWarningMessage(`Ponder: the Chat view could not take the request (${opened.reason}), so it runs in the Ponder sidebar.`);
    return runInSidebar(command, typed);
  };

  const disposables = Object.keys(PALETTE_TO_CHAT).map((id) => vscode.commands.registerCommand(id, paletteCommand(id)));

  disposables.push(
    vscode.commands.registerCommand('ponder.cancelRequest', (arg?: unknown) => {
      const parsed = CancelArg.safeParse(arg);
      const id = parsed.success ? (typeof parsed.data === 'string' ? parsed.data : parsed.data?.requestId) : undefined;
      const cancelled = runner.running.cancel(id);
      if (!cancelled) {
        void vscode.window.showInformationMessage(id ? `Ponder: request ${id.slice(0, 8)} is not running.` : 'Ponder: no request is running.');
        return false;
      }
      log.info(`request ${cancelled} cancelled by the user`);
      return true;
    }),
    vscode.commands.registerCommand('ponder.rerunRequest', async (requestId?: unknown) => {
      if (typeof requestId !== 'string') throw new Error('ponder.rerunRequest needs the id of a request from the sidebar history.');
      const start = services.traces.get(requestId)?.events.find((e) => e.type === 'request.start');
      if (!start || start.type !== 'request.start') {
        void vscode.window.showWarningMessage(`Ponder: request ${requestId.slice(0, 8)} is no longer in the history, so it cannot be re-run.`);
        return undefined;
      }
      const command = isChatCommand(start.command) ? start.command : undefined;
      // The stored prompt already holds what was composed (diagnostics, diff): send it as it was.
      const result = await runner.run({ command: start.command ?? 'ask', prompt: start.prompt ?? '', instructions: commandInstructions(command), ...editorScope() });
      await vscode.commands.executeCommand('ponder.showTrace', result.requestId);
      return result.requestId;
    }),
    vscode.commands.registerCommand('ponder.resolveToolApproval', (arg: unknown) => {
      const parsed = ResolveApprovalArgs.safeParse(arg);
      if (!parsed.success) throw new Error(`ponder.resolveToolApproval needs { requestId, callId, allow, forSession? }: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
      const resolved = broker.resolve(parsed.data);
      if (!resolved) log.info(`approval ${parsed.data.callId} of ${parsed.data.requestId} was already answered`);
      return resolved;
    }),
  );
  return disposables;
}
