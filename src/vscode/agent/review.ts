import * as vscode from 'vscode';
import * as path from 'node:path';
import { ReviewDecisions } from './reviewDecisions';

/**
 * Review Agent Changes: VS Code's multi-file diff of one task (the `vscode.changes` command), the
 * content before the task served from the task's checkpoint under the `ponder-agent:` scheme,
 * so nothing is written to disk to show it.
 */
export const AGENT_SCHEME = 'ponder-agent';

/** One file the task touched, as the review shows it. Paths are workspace-relative, posix. */
export interface ReviewFile {
  path: string;
  kind: 'created' | 'edited' | 'deleted' | 'renamed';
  /** A renamed file's path before the task. */
  from?: string;
}

/** What the review needs from the checkpoint: the bytes a file had before the task (undefined: it did not exist). */
export type OriginalLookup = (taskId: string, relPath: string) => Promise<Uint8Array | undefined>;

export class AgentOriginals implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly registration: vscode.Disposable;
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly lookup: OriginalLookup) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(AGENT_SCHEME, this);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const parsed = parseAgentUri(uri);
    if (!parsed) return '';
    const bytes = await this.lookup(parsed.taskId, parsed.path);
    return bytes ? new TextDecoder().decode(bytes) : '';
  }

  dispose(): void {
    this.registration.dispose();
    this.emitter.dispose();
  }
}

/** `ponder-agent:/<taskId>/<path>?before`: the file as it was before the task. */
export function originalUri(taskId: string, relPath: string): vscode.Uri {
  return vscode.Uri.from({ scheme: AGENT_SCHEME, path: `/${encodeURIComponent(taskId)}/${relPath}`, query: 'before' });
}

export function parseAgentUri(uri: vscode.Uri): { taskId: string; path: string } | undefined {
  if (uri.scheme !== AGENT_SCHEME) return undefined;
  const m = /^\/([^/]+)\/(.+)$/.exec(uri.path);
  return m ? { taskId: decodeURIComponent(m[1]), path: m[2] } : undefined;
}

/** The [resource, original, modified] triples `vscode.changes` takes; a side that does not exist is undefined. */
export function changeTriples(taskId: string, root: vscode.Uri, files: readonly ReviewFile[]): [vscode.Uri, vscode.Uri | undefined, vscode.Uri | undefined][] {
  return files.map((f) => {
    const onDisk = vscode.Uri.joinPath(root, ...f.path.split('/'));
    switch (f.kind) {
      case 'created': return [onDisk, undefined, onDisk];
      case 'deleted': return [onDisk, originalUri(taskId, f.path), undefined];
      case 'renamed': return [onDisk, originalUri(taskId, f.from ?? f.path), onDisk];
      default: return [onDisk, originalUri(taskId, f.path), onDisk];
    }
  });
}

/** The tab's title; VS Code's multi-file diff adds the count itself ("… (2 files)"). */
export function reviewTitle(task: string): string {
  const short = task.length > 60 ? `${task.slice(0, 59)}…` : task;
  return `Ponder agent: ${short}`;
}

/** Opens the multi-file diff of the task. */
export async function openReview(taskId: string, task: string, root: vscode.Uri, files: readonly ReviewFile[]): Promise<void> {
  await vscode.commands.executeCommand('vscode.changes', reviewTitle(task), changeTriples(taskId, root, files));
}

/** Opens one file's diff (before the task ↔ now). */
export async function openFileDiff(taskId: string, root: vscode.Uri, file: ReviewFile): Promise<void> {
  const [resource, before, after] = changeTriples(taskId, root, [file])[0];
  const title = `${file.path} (before the agent ↔ now)`;
  if (before && after) await vscode.commands.executeCommand('vscode.diff', before, after, title, { preview: true });
  else await vscode.commands.executeCommand('vscode.open', after ?? before ?? resource);
}

export interface ReviewChoice { action: 'keep' | 'undo'; files: string[] }

interface FileItem extends vscode.QuickPickItem { file?: ReviewFile; all?: 'keep' | 'undo' }

const UNDO_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('discard'), tooltip: 'Undo this file (put it back as it was before the task)' };
const KEEP_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('check'), tooltip: 'Keep this file (Undo Agent Changes leaves it alone)' };
const DIFF_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('diff'), tooltip: 'Open this file\'s diff' };

function label(f: ReviewFile): string {
  const what = f.kind === 'renamed' ? `renamed from ${f.from}` : f.kind;
  return `${path.posix.basename(f.path)} · ${what}`;
}

/**
 * Keep or undo per file, beside the multi-file diff: a quick pick that stays open while the user
 * reads the diff. Each file has Keep and Undo buttons; choosing a file opens its own diff. Resolves
 * with each decision as it is made (through `decide`), and when the pick closes.
 */
export function keepOrUndoPick(taskId: string, root: vscode.Uri, files: readonly ReviewFile[], decide: (choice: ReviewChoice) => Promise<string | undefined>): Promise<void> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<FileItem>();
    qp.title = 'Ponder: keep or undo the agent\'s changes, file by file';
    qp.placeholder = 'Use the buttons on a file to keep or undo it; pick a file to see its diff; Escape keeps the rest for now';
    qp.ignoreFocusOut = true;
    const refresh = (remaining: readonly ReviewFile[]): void => {
      qp.items = [
        ...remaining.map((f): FileItem => ({ label: label(f), description: f.path, file: f, buttons: [DIFF_BUTTON, KEEP_BUTTON, UNDO_BUTTON] })),
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        { label: '$(check-all) Keep all', description: `${remaining.length} file${remaining.length === 1 ? '' : 's'}`, all: 'keep' },
        { label: '$(discard) Undo all', description: 'put every file back as it was before the task', all: 'undo' },
      ];
      if (!remaining.length) qp.hide();
    };
    const decisions = new ReviewDecisions(files, decide, {
      setBusy: (busy) => { qp.busy = busy; },
      changed: refresh,
      warn: (message) => void vscode.window.showWarningMessage(`Ponder: ${message}`),
      error: (message) => void vscode.window.showErrorMessage(`Ponder: ${message}`),
    });
    // VS Code ignores what a listener returns: a diff that fails to open is said here, not lost.
    const openDiff = (f: ReviewFile): void => {
      openFileDiff(taskId, root, f).catch((err: unknown) => void vscode.window.showErrorMessage(`Ponder: could not open the diff of ${f.path}: ${err instanceof Error ? err.message : String(err)}`));
    };
    // decisions.act never rejects: it shows its own failures.
    qp.onDidTriggerItemButton((e) => {
      const f = e.item.file;
      if (!f) return;
      if (e.button === DIFF_BUTTON) openDiff(f);
      else void decisions.act(e.button === UNDO_BUTTON ? 'undo' : 'keep', [f]);
    });
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      if (item?.file) openDiff(item.file);
      else if (item?.all) void decisions.act(item.all, [...decisions.remaining]);
    });
    qp.onDidHide(() => { qp.dispose(); resolve(); });
    refresh(decisions.remaining);
    qp.show();
  });
}
