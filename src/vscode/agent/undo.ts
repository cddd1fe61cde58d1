import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Checkpoint, UndoReport } from '../../core/agent/checkpoint';
import { conflictQuestion, undoSummary, type ConflictQuestion } from './undoText';

/** The user's answer when undo would overwrite their own changes. */
export type ConflictAnswer = 'overwrite' | 'skip' | 'cancel';
export type ConflictAsk = (question: ConflictQuestion) => Promise<ConflictAnswer>;

/** A modal: undo never overwrites the user's work without a clear yes. */
export const modalConflictAsk: ConflictAsk = async (q) => {
  const overwrite = 'Overwrite My Changes';
  const skip = q.canSkip ? 'Undo the Other Files Only' : undefined;
  const picked = await vscode.window.showWarningMessage(q.message, { modal: true, detail: q.detail }, ...[overwrite, ...(skip ? [skip] : [])]);
  return picked === overwrite ? 'overwrite' : picked === skip ? 'skip' : 'cancel';
};

export interface UndoOutcome {
  /** Undo did not run: the user cancelled, or there was nothing to undo. */
  cancelled?: boolean;
  report?: UndoReport;
  /** What to tell the user, in words. */
  message: string;
}

function openDocument(root: string, rel: string): vscode.TextDocument | undefined {
  const abs = path.join(root, ...rel.split('/'));
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === abs);
}

/**
 * Undoes `paths` of a task (all its open changes by default). A file the user changed after the
 * agent did (on disk, or typed into an editor and not saved yet) is never overwritten unasked:
 * `ask` decides whether to overwrite those, leave them, or stop. Open editors end up showing what
 * is on disk, so no unsaved text is left to clash with the restored file.
 */
export async function undoTask(cp: Checkpoint, ask: ConflictAsk, paths?: readonly string[]): Promise<UndoOutcome> {
  const changes = await cp.changes();
  const targets = paths ? changes.filter((c) => paths.includes(c.path) || (c.from !== undefined && paths.includes(c.from))) : changes;
  if (!targets.length) return { cancelled: true, message: 'the agent\'s changes of this task were already undone or kept: nothing to undo.' };
  const onDisk = new Set(await cp.conflicts(targets.map((c) => c.path)));
  const unsaved = new Set(targets.filter((c) => openDocument(cp.root, c.path)?.isDirty).map((c) => c.path));
  const edited = [...new Set([...onDisk, ...unsaved])];
  let overwrite: string[] = [];
  let skip: string[] = [];
  if (edited.length) {
    const answer = await ask(conflictQuestion(edited, unsaved, targets.length));
    if (answer === 'cancel') return { cancelled: true, message: 'nothing was undone.' };
    if (answer === 'overwrite') overwrite = edited;
    else skip = edited; // 'skip' is only offered when other files remain
  }
  // Unsaved text of a file undo removes is dropped first (there is nothing to reload it from after).
  const removing = new Set(targets.filter((c) => c.before === null).map((c) => c.path));
  for (const rel of overwrite.filter((p) => removing.has(p))) {
    const doc = openDocument(cp.root, rel);
    if (doc?.isDirty) await revert(doc);
  }
  const report = await cp.undo({ paths: targets.map((c) => c.path).filter((p) => !skip.includes(p)), overwrite });
  await showRestored(cp.root, [...new Set([...report.restored, ...overwrite.filter((p) => !removing.has(p))])], new Set(overwrite));
  return { report, message: undoSummary(report, skip) };
}

/** How long an open, unchanged editor may take to follow its restored file before it is reloaded. */
const FOLLOW_MS = 1000;

/**
 * Open editors of restored files end up showing the restored bytes. The overwritten ones are
 * reloaded from disk now that it holds them (their unsaved text dropped, as the user agreed). An
 * unchanged editor follows the file watcher on its own, which can lag on a loaded machine or a
 * remote file system: one that still shows the agent's text after a moment is reloaded too.
 */
async function showRestored(root: string, paths: readonly string[], overwritten: ReadonlySet<string>): Promise<void> {
  const stale: Array<{ doc: vscode.TextDocument; text: string }> = [];
  for (const rel of paths) {
    const doc = openDocument(root, rel);
    if (!doc) continue;
    if (doc.isDirty && overwritten.has(rel)) await revert(doc);
    else if (!doc.isDirty) stale.push({ doc, text: await diskText(doc.uri) });
  }
  const behind = () => stale.filter(({ doc, text }) => !doc.isClosed && !doc.isDirty && doc.getText() !== text);
  const deadline = Date.now() + FOLLOW_MS;
  while (behind().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const { doc } of behind()) await revert(doc);
}

async function diskText(uri: vscode.Uri): Promise<string> {
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * Drops an editor's unsaved text (the file on disk wins). The command is given the file, so it
 * reverts that document even if focus moved elsewhere (the modal that asked, the sidebar).
 */
async function revert(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: false });
  await vscode.commands.executeCommand('workbench.action.files.revert', doc.uri);
}
