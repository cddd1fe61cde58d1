import * as vscode from 'vscode';
import * as path from 'node:path';
import { Checkpoint } from '../../core/agent/checkpoint';

/**
 * The agent's checkpoints for this workspace, in the extension's workspace storage
 * (`<storageUri>/agent-checkpoints/<taskId>/`), so Undo and Review work after a window reload.
 * Sets `ponder.agent.hasCheckpoint` (the palette shows Undo and Review only then).
 */
export class AgentCheckpoints {
  constructor(private readonly storage: vscode.Uri | undefined, private readonly log: vscode.LogOutputChannel) {}

  /** Where checkpoints live; undefined without a workspace (no agent then). */
  get dir(): string | undefined {
    return this.storage?.scheme === 'file' ? path.join(this.storage.fsPath, 'agent-checkpoints') : undefined;
  }

  async open(taskId: string): Promise<Checkpoint | undefined> {
    const dir = this.dir;
    if (!dir) return undefined;
    try {
      return await Checkpoint.open(dir, taskId);
    } catch (err) {
      this.log.warn(`Ponder agent: could not read checkpoint ${taskId}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /** The newest task of this window's folders that still has changes to undo or review. */
  async latest(): Promise<Checkpoint | undefined> {
    const dir = this.dir;
    if (!dir) return undefined;
    const roots = new Set((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => path.resolve(f.uri.fsPath)));
    const all = await Checkpoint.list(dir);
    const newest = all.find((s) => s.open > 0 && roots.has(s.root));
    return newest ? this.open(newest.taskId) : undefined;
  }

  /** Updates the context key after a task, an undo or a keep. */
  async refresh(): Promise<boolean> {
    const has = !!(await this.latest().catch(() => undefined));
    await vscode.commands.executeCommand('setContext', 'ponder.agent.hasCheckpoint', has);
    return has;
  }
}
