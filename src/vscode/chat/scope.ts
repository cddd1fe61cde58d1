import * as vscode from 'vscode';
import * as path from 'node:path';
import { workspaceRoots } from '../editor/roots';
import { runGit } from '../../core/safeGit';
import { isSecretPath, redactSecrets } from '../../core/context/secrets';
import { withholdSecretSections } from '../../core/tools/codeTools';

/**
 * What a request is about: the file and selected lines (from the chat's references, else the
 * active editor), other attached files, and for /fix and /review the problems or the changes.
 */
export interface RequestScope {
  activeFile?: string;
  selection?: [number, number];
  /** 1-based cursor line of the active editor when nothing is selected. */
  cursor?: number;
  openFiles: string[];
  /** Attached text values (e.g. a pasted snippet) and what they are, sent with the prompt. */
  extras: string[];
  /** Files the user attached, shown as references in the answer. */
  attached: Array<vscode.Uri | vscode.Location>;
}

function linesOf(range: vscode.Range): [number, number] {
  // A selection ending at column 0 of the next line does not include that line.
  const end = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return [range.start.line + 1, end + 1];
}

/** From the Chat view's references (`#file`, selections, symbols), falling back to the active editor. */
export function scopeFrom(references: readonly vscode.ChatPromptReference[], useEditor: boolean): RequestScope {
  const scope: RequestScope = { openFiles: [], extras: [], attached: [] };
  // References come last-in-prompt first; reverse to the order the user wrote them.
  for (const ref of [...references].reverse()) {
    if (isAutomaticInstructions(ref)) continue;
    // The Chat view's implicit "viewport" reference is the visible part of the editor, not a
    // selection: it names the file, and the cursor (below) says where in it.
    const v = ref.id === 'vscode.implicit.viewport' && ref.value instanceof vscode.Location ? ref.value.uri : ref.value;
    if (v instanceof vscode.Location && v.uri.scheme === 'file') {
      scope.attached.push(v);
      if (!scope.activeFile) {
        scope.activeFile = v.uri.fsPath;
        if (!v.range.isEmpty) scope.selection = linesOf(v.range);
      } else scope.openFiles.push(v.uri.fsPath);
    } else if (v instanceof vscode.Uri && v.scheme === 'file') {
      scope.attached.push(v);
      if (!scope.activeFile) scope.activeFile = v.fsPath;
      else scope.openFiles.push(v.fsPath);
    } else if (typeof v === 'string' && v.trim()) {
      scope.extras.push(`${ref.modelDescription ?? ref.id}:\n${v}`);
    }
  }
  if (!scope.activeFile && useEditor) Object.assign(scope, editorScope());
  else if (scope.activeFile && !scope.selection) {
    // A file reference without lines: the cursor, when that file is the active editor.
    const editor = editorScope();
    if (editor.activeFile === scope.activeFile && editor.cursor !== undefined) scope.cursor = editor.cursor;
  }
  return scope;
}

/**
 * VS Code attaches the workspace's instruction files (AGENTS.md, copilot-instructions.md,
 * *.instructions.md) to chat requests by itself. Ponder reads those files on its own, in their
 * place in the prompt, so they are not the request's subject nor packed again as context.
 */
function isAutomaticInstructions(ref: vscode.ChatPromptReference): boolean {
  if (ref.id.startsWith('vscode.prompt.instructions')) return true;
  const v = ref.value;
  const uri = v instanceof vscode.Uri ? v : v instanceof vscode.Location ? v.uri : undefined;
  const name = uri ? path.basename(uri.fsPath) : '';
  return ref.id !== 'vscode.file' && (name === 'AGENTS.md' || name === 'copilot-instructions.md' || name.endsWith('.instructions.md'));
}

/** The active editor's file and selection (the palette commands' subject). */
export function editorScope(): Pick<RequestScope, 'activeFile' | 'selection' | 'cursor'> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file') return {};
  const sel = editor.selection;
  return { activeFile: editor.document.uri.fsPath, ...(sel.isEmpty ? { cursor: sel.active.line + 1 } : { selection: linesOf(sel) }) };
}

/** The problems VS Code reports in the selected lines (the whole file without a selection), for /fix. */
export function diagnosticsText(file: string | undefined, selection: [number, number] | undefined): string | undefined {
  if (!file) return undefined;
  const diags = vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => !selection || (d.range.end.line + 1 >= selection[0] && d.range.start.line + 1 <= selection[1]));
  if (!diags.length) return undefined;
  const sev = ['error', 'warning', 'info', 'hint'];
  return diags.slice(0, 50).map((d) => `- line ${d.range.start.line + 1}: ${sev[d.severity]}${d.source ? ` (${d.source})` : ''}: ${d.message}`).join('\n');
}

const MAX_DIFF_CHARS = 60_000;

/**
 * The working-tree diff for /review. Never in an untrusted workspace: a repository's own git
 * config can name diff drivers that run programs.
 */
export function workingTreeDiff(): Promise<{ diff?: string; problem?: string }> {
  if (!vscode.workspace.isTrusted) return Promise.resolve({ problem: 'The working-tree diff is not read in an untrusted workspace; select the code to review instead.' });
  const root = workspaceRoots()[0];
  if (!root) return Promise.resolve({ problem: 'Open a folder to review its changes.' });
  return runGit(root.path, ['diff', 'HEAD', '--no-color', '--relative'], { timeoutMs: 10_000 }).then((r) => {
    if (r.code !== 0) return { problem: `git diff failed in ${root.name}: ${(r.stderr.trim() || r.error?.message || `exit ${r.code}`).split('\n')[0]}` };
    if (!r.stdout.trim()) return { problem: `No changes in the working tree of ${root.name}.` };
    // Secret files' sections withheld and credentials redacted, as the git_diff tool does.
    const diff = redactSecrets(withholdSecretSections(r.stdout, isSecretPath).text).text;
    return { diff: diff.length > MAX_DIFF_CHARS ? `${diff.slice(0, MAX_DIFF_CHARS)}\n[diff truncated at ${MAX_DIFF_CHARS} characters]` : diff };
  });
}

export type EditorScope = Pick<RequestScope, 'activeFile' | 'selection' | 'cursor'>;

/**
 * What a palette command saw in the editor, handed to the `@ponder` request it opens. The Chat
 * view's implicit selection reference follows the editor a moment late, so right after the
 * selection changes it can still name the previous lines: the command's own reading wins.
 */
export class PaletteHandoff {
  private pending: { command?: string; prompt: string; scope: EditorScope; at: number } | undefined;

  put(command: string | undefined, prompt: string, scope: EditorScope, now = Date.now()): void {
    this.pending = { command, prompt: prompt.trim(), scope, at: now };
  }

  /** The scope for this chat request, when it is the one a palette command just opened (within 30 s). */
  take(command: string | undefined, prompt: string, now = Date.now()): EditorScope | undefined {
    const p = this.pending;
    if (!p || now - p.at > 30_000 || p.command !== command || p.prompt !== prompt.trim()) return undefined;
    this.pending = undefined;
    return p.scope;
  }
}
