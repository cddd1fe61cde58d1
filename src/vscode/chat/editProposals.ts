import * as vscode from 'vscode';
import type { EditOutcome, EditProposal } from '../../core/editor/port';

/**
 * `propose_edit` in the editor: the proposed text is served from memory under the
 * `ponder-proposal:` scheme so VS Code's diff editor shows current vs proposed without touching
 * the disk; an approved edit is applied as ONE WorkspaceEdit, so one Undo takes it back.
 */
export const PROPOSAL_SCHEME = 'ponder-proposal';

export class EditProposals implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private counter = 0;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Opens the diff editor: the file as it is now (left) and as proposed (right). */
  async show(proposal: EditProposal): Promise<vscode.Uri> {
    const n = ++this.counter;
    const right = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${n}/${proposal.path}`, query: 'proposed' });
    this.texts.set(right.toString(), proposal.after);
    let left: vscode.Uri;
    if (proposal.exists) {
      left = vscode.Uri.file(proposal.absPath);
    } else {
      left = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${n}/${proposal.path}`, query: 'new-file' });
      this.texts.set(left.toString(), '');
    }
    const title = `${proposal.path} ↔ proposed by Ponder (+${proposal.added} −${proposal.removed})`;
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true, preserveFocus: true });
    return right;
  }

  /** Closes the diff tab of a proposal and forgets its text. */
  async close(right: vscode.Uri): Promise<void> {
    const key = right.toString();
    for (const k of [...this.texts.keys()]) if (k.startsWith(key.replace(/\?.*$/, ''))) this.texts.delete(k);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === key);
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  }

  dispose(): void {
    this.registration.dispose();
    this.emitter.dispose();
    this.texts.clear();
  }
}

/**
 * Applies an approved edit. The file must still read as it did when the edit was proposed;
 * otherwise the edit is refused (the model is told), so a user's own typing is never overwritten.
 */
export async function applyProposal(proposal: EditProposal): Promise<EditOutcome> {
  const uri = vscode.Uri.file(proposal.absPath);
  const edit = new vscode.WorkspaceEdit();
  if (!proposal.exists) {
    edit.createFile(uri, { ignoreIfExists: false, contents: new TextEncoder().encode(proposal.after) }, { label: 'Ponder: create file', needsConfirmation: false });
    if (!(await vscode.workspace.applyEdit(edit))) return { applied: false, message: `VS Code could not create ${proposal.path}` };
    return { applied: true, message: `created ${proposal.path}` };
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.getText() !== proposal.before) {
    return { applied: false, message: `${proposal.path} changed after the edit was proposed; propose the edit again against its current text` };
  }
  const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  edit.replace(uri, whole, proposal.after, { label: 'Ponder: apply proposed edit', needsConfirmation: false });
  if (!(await vscode.workspace.applyEdit(edit))) return { applied: false, message: `VS Code could not apply the edit to ${proposal.path}` };
  // Saved so tools, git and the terminal see the change; Undo in the editor still takes it back in one step.
  await doc.save();
  return { applied: true, message: `applied to ${proposal.path} (one undo step)` };
}
