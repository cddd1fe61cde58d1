import * as vscode from 'vscode';
import { isAbsolute, resolve } from 'node:path';
import type { WebviewMessage } from '../../core/protocol/messages';
import type { TraceStore } from '../../core/run/traceStore';

export interface ActionContext {
  store: TraceStore;
  log: vscode.LogOutputChannel;
  selected(): string | undefined;
}

/** Commands other parts register; the sidebar calls them and degrades with a message if absent. */
const OWNERS: Record<string, string> = {
  'ponder.cancelRequest': 'cancelling a request',
  'ponder.rerunRequest': 're-running a request',
  'ponder.resolveToolApproval': 'answering a tool approval',
  'ponder.setApiKey': 'setting an API key',
  'ponder.addEndpoint': 'adding an endpoint',
  'ponder.selectEndpoint': 'selecting an endpoint',
  'ponder.agent.undo': 'undoing an agent task',
  'ponder.agent.review': 'reviewing an agent task',
};

/** Runs a command if it is registered; otherwise tells the user which command is missing. */
export async function runCommand(id: string, ...args: unknown[]): Promise<unknown> {
  const known = await vscode.commands.getCommands(true);
  if (!known.includes(id)) {
    const what = OWNERS[id] ?? 'this action';
    void vscode.window.showWarningMessage(`Ponder: ${what} is not available here: the command "${id}" is not registered. Reload the window, or check that the Ponder extension started (Output > Ponder).`);
    return undefined;
  }
  return vscode.commands.executeCommand(id, ...args);
}

type ActionMessage = Exclude<WebviewMessage, { type: 'ready' | 'select' | 'probeResult' }>;

/** Carries out what the user asked for in the webview. Every input was schema-checked. */
export async function handleWebviewAction(m: ActionMessage, ctx: ActionContext): Promise<void> {
  switch (m.type) {
    case 'openFile':
      return openFile(m.path, m.root, m.range);
    case 'openLink':
      return openLink(m.url);
    case 'copyText':
      await vscode.env.clipboard.writeText(m.text);
      void vscode.window.setStatusBarMessage('Ponder: code copied', 3000);
      return;
    case 'approve':
      await runCommand('ponder.resolveToolApproval', { requestId: m.requestId, callId: m.callId, allow: m.allow, forSession: m.forSession ?? false });
      return;
    case 'runFix': {
      const errors = ctx.store.get(m.requestId)?.events.filter((e) => e.type === 'error') ?? [];
      const fix = errors[m.index]?.type === 'error' ? errors[m.index].fix : undefined;
      if (!fix) { ctx.log.warn(`Ponder sidebar: no fix action #${m.index} on request ${m.requestId}.`); return; }
      await runCommand(fix.command, ...(fix.args ?? []));
      return;
    }
    case 'action':
      return runAction(m.action, m.requestId ?? ctx.selected(), ctx);
  }
}

async function runAction(action: Extract<ActionMessage, { type: 'action' }>['action'], requestId: string | undefined, ctx: ActionContext): Promise<void> {
  switch (action) {
    case 'cancel': if (requestId) await runCommand('ponder.cancelRequest', requestId); return;
    case 'rerun': if (requestId) await runCommand('ponder.rerunRequest', requestId); return;
    case 'export': await vscode.commands.executeCommand('ponder.exportTrace', requestId); return;
    case 'clearHistory': await vscode.commands.executeCommand('ponder.clearHistory'); return;
    case 'setApiKey': await runCommand('ponder.setApiKey'); return;
    case 'addEndpoint': await runCommand('ponder.addEndpoint'); return;
    case 'selectEndpoint': await runCommand('ponder.selectEndpoint'); return;
    case 'selectEffort': await runCommand('ponder.selectReasoningEffort'); return;
    case 'agentUndo': if (requestId) await runCommand('ponder.agent.undo', requestId); return;
    case 'agentReview': if (requestId) await runCommand('ponder.agent.review', requestId); return;
    case 'openSettings': await vscode.commands.executeCommand('workbench.action.openSettings', 'ponder.endpoints'); return;
    case 'copyAnswer': {
      const events = requestId ? ctx.store.get(requestId)?.events ?? [] : [];
      const answer = events.map((e) => (e.type === 'content.delta' ? e.text : '')).join('');
      await vscode.env.clipboard.writeText(answer);
      void vscode.window.setStatusBarMessage(answer ? 'Ponder: answer copied' : 'Ponder: this request has no answer yet', 3000);
      return;
    }
  }
}

/**
 * Opens a packed context item or a file an agent task changed, only inside a workspace folder,
 * selecting its 1-based range. `root` names the folder (a context item's) or gives its path (an
 * agent task's folder): a task's file opens from the folder the task ran in, or not at all.
 */
async function openFile(path: string, root: string | undefined, range: [number, number] | undefined): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const byPath = root !== undefined && isAbsolute(root);
  const named = root ? folders.find((f) => (byPath ? f.uri.scheme === 'file' && resolve(f.uri.fsPath) === resolve(root) : f.name === root)) : undefined;
  if (byPath && !named) { void vscode.window.showWarningMessage(`Ponder: cannot open ${path}: its folder ${root} is not open in this window.`); return; }
  const folder = named ?? folders[0];
  if (!folder) { void vscode.window.showWarningMessage(`Ponder: cannot open ${path}: no workspace folder is open.`); return; }
  const segments = path.split(/[\\/]+/).filter((s) => s && s !== '.');
  if (segments.includes('..') || /^[a-zA-Z]:$/.test(segments[0] ?? '')) {
    void vscode.window.showWarningMessage(`Ponder: refused to open ${path}: context paths stay inside the workspace.`);
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, ...segments);
  const options: vscode.TextDocumentShowOptions = { preview: true };
  if (range) {
    const start = Math.max(0, range[0] - 1);
    const end = Math.max(start, range[1] - 1);
    options.selection = new vscode.Range(start, 0, end, Number.MAX_SAFE_INTEGER);
  }
  try {
    await vscode.window.showTextDocument(uri, options);
  } catch (err) {
    void vscode.window.showWarningMessage(`Ponder: cannot open ${path} in ${folder.name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Opens http(s) links only; anything else a model wrote is refused. */
async function openLink(url: string): Promise<void> {
  let parsed: URL;
  try { parsed = new URL(url); } catch { return; }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return;
  await vscode.env.openExternal(vscode.Uri.parse(parsed.toString()));
}
