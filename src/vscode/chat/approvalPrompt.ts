import * as vscode from 'vscode';
import type { ApprovalDecision, ApprovalPort, ApprovalRequest } from '../../core/tools/types';
import type { ApprovalAsk, ApprovalBroker, ApprovalPrompt } from './approvals';
import type { EditProposals } from './editProposals';
import { hasHiddenCharacters, quotedLine, visibleControls } from '../../core/terminalText';

interface Choice extends vscode.QuickPickItem { allow: boolean; forSession?: boolean }

/**
 * Asks with a quick pick rather than a notification: it stays open while the user reads the
 * diff (ignoreFocusOut) and, unlike a notification, can be closed when the sidebar or a test
 * answered first. Closing it without choosing denies.
 */
export const quickPickPrompt: ApprovalPrompt = (ask, signal) => new Promise((resolve) => {
  const edit = ask.tool === 'propose_edit';
  const qp = vscode.window.createQuickPick<Choice>();
  const [title, ...more] = ask.detail.split('\n');
  qp.title = title;
  qp.placeholder = 'Choose, or press Escape to deny';
  qp.ignoreFocusOut = true;
  qp.items = [
    // The second line (the working directory, or where the diff is) sits on the first choice, where it is read.
    { label: edit ? '$(check) Apply' : '$(play) Run', description: 'this time', detail: more.join(' · ') || undefined, allow: true },
    { label: '$(check-all) Allow for this session', description: ask.tool === 'run_command' ? 'this exact command, in this folder, until the window reloads' : `every ${ask.tool} until the window reloads`, allow: true, forSession: true },
    { label: edit ? '$(close) Reject' : '$(circle-slash) Deny', description: 'the model is told', allow: false },
  ];
  let answered = false;
  const finish = (value: { allow: boolean; forSession?: boolean } | undefined): void => {
    if (answered) return;
    answered = true;
    qp.dispose();
    resolve(value);
  };
  qp.onDidAccept(() => {
    const picked = qp.selectedItems[0];
    finish(picked ? { allow: picked.allow, ...(picked.forSession ? { forSession: true } : {}) } : undefined);
  });
  qp.onDidHide(() => finish(undefined));
  signal.addEventListener('abort', () => finish(undefined), { once: true });
  qp.show();
});

/** What the prompt says: the file and size of an edit, or the exact command and where it runs. */
export function describeApproval(req: ApprovalRequest): string {
  const p = req.preview;
  if (p.type === 'edit') {
    const verb = p.proposal.exists ? 'Apply the edit to' : 'Create';
    return `Ponder: ${verb} ${p.proposal.path} (+${p.proposal.added} −${p.proposal.removed})?\nThe diff editor shows current ↔ proposed`;
  }
  if (p.type === 'tool') return `Ponder wants to call ${visibleControls(p.tool)} (${visibleControls(p.server)}) with ${visibleControls(p.arguments)}`;
  // One quoted line with every control, line break and invisible character escaped: the title
  // shows the whole command, and nothing in it can hide or reorder what the user approves.
  const hidden = hasHiddenCharacters(p.command) ? ' · the command contains line breaks, control or invisible characters, shown escaped' : '';
  return `Ponder wants to run: ${quotedLine(p.command)}\nin ${visibleControls(p.cwd || '.')} (${visibleControls(p.absCwd)})${hidden}`;
}

/**
 * The ApprovalPort core calls for write and command tools. Edits open the diff editor first and
 * close it once answered; the answer comes from whichever of the prompt, the sidebar or a test
 * hook (through the broker) answers first.
 */
export class VsCodeApprovalPort implements ApprovalPort {
  constructor(
    private readonly broker: ApprovalBroker,
    private readonly proposals: EditProposals,
    private readonly prompt: ApprovalPrompt,
    private readonly signal?: AbortSignal,
  ) {}

  async request(req: ApprovalRequest): Promise<ApprovalDecision> {
    const ask: ApprovalAsk = { requestId: req.requestId, callId: req.call.id, tool: req.tool, detail: describeApproval(req) };
    const diff = req.preview.type === 'edit' ? await this.proposals.show(req.preview.proposal) : undefined;
    try {
      const answer = await this.broker.ask(ask, this.prompt, this.signal);
      return {
        allow: answer.allow,
        by: 'user',
        ...(answer.forSession ? { forSession: true } : {}),
        ...(answer.allow ? {} : { reason: answer.by === 'cancelled' ? 'the request was cancelled' : 'the user said no' }),
      };
    } finally {
      if (diff) await this.proposals.close(diff);
    }
  }
}
