import * as vscode from 'vscode';
import type { Checkpoint } from '../../core/agent/checkpoint';
import type { TraceStore } from '../../core/run/traceStore';
import type { AgentCheckpoints } from './checkpoints';
import { keepOrUndoPick, openReview, type ReviewFile } from './review';
import { undoTask, type ConflictAsk } from './undo';

/**
 * Undo Agent Changes and Review Agent Changes: on the task the sidebar or chat names, else the
 * newest task of this workspace that still has changes. Read from the checkpoint on disk every
 * time, so both work the same after a window reload.
 */
export class AgentChanges {
  constructor(
    private readonly checkpoints: AgentCheckpoints,
    private readonly traces: TraceStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly ask: ConflictAsk,
  ) {}

  private async find(taskId: unknown, verb: string): Promise<Checkpoint | undefined> {
    const id = typeof taskId === 'string' ? taskId : undefined;
    const cp = id ? await this.checkpoints.open(id) : await this.checkpoints.latest();
    if (!cp) {
      void vscode.window.showInformationMessage(id
        ? `Ponder: there is nothing to ${verb} for this agent task: it changed no file, or its checkpoint was removed.`
        : `Ponder: there is no agent task with changes to ${verb} in this workspace.`);
    }
    return cp;
  }

  /** Puts every file the task touched back as it was (asking first about files the user changed since). */
  async undo(taskId?: unknown): Promise<string | undefined> {
    const cp = await this.find(taskId, 'undo');
    if (!cp) return undefined;
    const before = await this.undecided(cp);
    const out = await undoTask(cp, this.ask);
    const text = `Undo Agent Changes: ${out.message}`;
    this.log.info(`Ponder agent ${cp.id}: ${text}`);
    if (!out.cancelled) {
      this.note(cp.id, text);
      await this.decided(cp, 'undo', before);
    }
    const failed = !!out.report?.failed.length;
    void (failed ? vscode.window.showWarningMessage(`Ponder: ${text}`) : vscode.window.showInformationMessage(`Ponder: ${text}`));
    await this.checkpoints.refresh();
    return out.message;
  }

  /** Opens the task's multi-file diff, with keep or undo per file beside it. */
  async review(taskId?: unknown): Promise<ReviewFile[] | undefined> {
    const cp = await this.find(taskId, 'review');
    if (!cp) return undefined;
    const files: ReviewFile[] = (await cp.changes()).map((c) => ({ path: c.path, kind: c.action, ...(c.from ? { from: c.from } : {}) }));
    if (!files.length) {
      void vscode.window.showInformationMessage('Ponder: the changes of this agent task were all undone or kept: nothing left to review.');
      await this.checkpoints.refresh();
      return [];
    }
    const root = vscode.Uri.file(cp.root);
    await openReview(cp.id, cp.task ?? 'agent task', root, files);
    keepOrUndoPick(cp.id, root, files, (choice) => this.decide(cp, choice.action, choice.files))
      .then(() => this.checkpoints.refresh())
      .catch((err: unknown) => this.log.warn(`Ponder agent ${cp.id}: could not read the checkpoints after the review: ${err instanceof Error ? err.message : String(err)}`));
    return files;
  }

  /** Keep or undo some files of a task; returns a problem to show, or undefined when done. */
  async decide(cp: Checkpoint, action: 'keep' | 'undo', paths: string[]): Promise<string | undefined> {
    const before = await this.undecided(cp);
    if (action === 'keep') {
      await cp.keep(paths);
      await this.decided(cp, 'keep', before);
      this.note(cp.id, `Kept ${paths.join(', ')}: Undo Agent Changes leaves ${paths.length === 1 ? 'it' : 'them'} as the agent left ${paths.length === 1 ? 'it' : 'them'}.`);
      return undefined;
    }
    const out = await undoTask(cp, this.ask, paths);
    if (out.cancelled) return out.message;
    this.note(cp.id, `Undo ${paths.join(', ')}: ${out.message}`);
    await this.decided(cp, 'undo', before);
    const left = (out.report?.conflicts.length ?? 0) + (out.report?.failed.length ?? 0);
    return left ? out.message : undefined;
  }

  /**
   * The task's files still to review or undo, when its trace is in the history (where a
   * decision is shown); undefined otherwise, so nothing is read for it.
   */
  private async undecided(cp: Checkpoint): Promise<string[] | undefined> {
    if (!this.traces.get(cp.id)) return undefined;
    return (await cp.changes()).map((c) => c.path);
  }

  /**
   * Tells the task's trace which of its files this decision settled and how many are left, so
   * the sidebar stops offering Review and Undo for changes that are gone.
   */
  private async decided(cp: Checkpoint, action: 'undo' | 'keep', before: readonly string[] | undefined): Promise<void> {
    if (!before) return;
    const after = (await this.undecided(cp)) ?? [];
    const paths = before.filter((p) => !after.includes(p));
    if (paths.length) this.traces.add({ type: 'agent.decision', requestId: cp.id, t: Date.now(), taskId: cp.id, action, paths, remaining: after.length });
  }

  /** Said in the task's trace (the sidebar shows it under the task), when the task is still in the history. */
  private note(taskId: string, message: string): void {
    if (this.traces.get(taskId)) this.traces.add({ type: 'notice', level: 'info', message, requestId: taskId, t: Date.now() });
  }
}
