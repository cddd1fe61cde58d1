import * as vscode from 'vscode';
import fs from 'node:fs';
import path from 'node:path';
import type {
  CommandOutcome, CommandRequest, DefinitionLocation, EditOutcome, EditorDiagnostic, EditorPort, EditProposal, FileList, FileStat, ListOptions, OpenEditor, SymbolLocation, WorkspaceRoot,
} from '../core/editor/port';
import { deleteWorkspaceFile, renameWorkspaceFile } from './agent/fileOps';
import { runInTerminal } from './chat/commandTerminal';
import { applyProposal } from './chat/editProposals';
import { findSymbolWithProviders } from './chat/languageTools';
import { toEditorDiagnostic } from './editor/diagnostics';
import { openDocument } from './editor/documents';
import { workspaceRoots } from './editor/roots';

/**
 * The context engine's workspace port over VS Code: files through `workspace.findFiles` and
 * `workspace.fs`, open documents first (unsaved text wins over disk), the diagnostics
 * collection, the definition provider, and file-system watchers plus document edits as change
 * events, which keep the engine's index warm between requests.
 */
/** How long a request waits for the editor's file search before walking the folder itself. */
const FIND_GRACE_MS = 1200;

export class VsCodeWorkspacePort implements EditorPort, vscode.Disposable {
  private readonly listeners = new Set<(path: string) => void>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly decoder = new TextDecoder('utf-8');
  /** A file search per root still running (or just finished), shared by overlapping requests. */
  private readonly searches = new Map<string, Promise<readonly vscode.Uri[]>>();

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    const fire = (uri: vscode.Uri) => {
      if (uri.scheme !== 'file') return;
      for (const l of this.listeners) l(uri.fsPath);
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(fire),
      watcher.onDidCreate(fire),
      watcher.onDidDelete(fire),
      vscode.workspace.onDidChangeTextDocument((e) => fire(e.document.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => fire(d.uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        for (const l of this.listeners) l('/');
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.listeners.clear();
  }

  roots(): readonly WorkspaceRoot[] {
    return workspaceRoots();
  }

  /** Read per request: an untrusted workspace gets no write or command tools from core. */
  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  private folderFor(root: WorkspaceRoot): vscode.WorkspaceFolder | undefined {
    return (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.fsPath === root.path);
  }

  async listFiles(root: WorkspaceRoot, opts: ListOptions = {}): Promise<FileList> {
    const folder = this.folderFor(root);
    if (!folder) return { files: [], truncated: false };
    const max = opts.maxFiles ?? 50000;
    // The search may be slow on a cold window: it keeps running past a request's time limit and
    // the next request gets its answer, instead of starting over.
    let search = this.searches.get(root.path);
    if (!search) {
      search = Promise.resolve(vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), '{**/node_modules/**,**/.git/**}', max + 1));
      this.searches.set(root.path, search);
      const done = search;
      done.then(() => setTimeout(() => { if (this.searches.get(root.path) === done) this.searches.delete(root.path); }, 2000), () => this.searches.delete(root.path));
    }
    // Wait a little for the search; a cold window's search can take seconds, and then a walk of
    // workspace.fs (pruned by the ignore rules) answers this request while the search finishes.
    let settled: readonly vscode.Uri[] | undefined;
    search.then((u) => { settled = u; }, () => { settled = []; });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, FIND_GRACE_MS);
      const onAbort = () => { clearTimeout(timer); resolve(); };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      search.then(() => { clearTimeout(timer); opts.signal?.removeEventListener('abort', onAbort); resolve(); }, onAbort);
    });
    if (settled === undefined) return this.walk(root, opts, max);
    const uris = settled;
    const timedOut = false;
    const files: string[] = [];
    const skipped = new Map<string, boolean>();
    const dirSkipped = (rel: string): boolean => {
      if (!opts.skipDir) return false;
      let i = rel.indexOf('/');
      while (i !== -1) {
        const dir = rel.slice(0, i);
        let s = skipped.get(dir);
        if (s === undefined) skipped.set(dir, (s = opts.skipDir(dir)));
        if (s) return true;
        i = rel.indexOf('/', i + 1);
      }
      return false;
    };
    for (const uri of uris) {
      const rel = path.relative(root.path, uri.fsPath).split(path.sep).join('/');
      if (rel.startsWith('..') || dirSkipped(rel)) continue;
      files.push(rel);
    }
    files.sort();
    return { files: files.slice(0, max), truncated: uris.length > max || timedOut };
  }

  /** Lists a root through workspace.fs, not descending into skipped folders; links only inside the workspace. */
  private async walk(root: WorkspaceRoot, opts: ListOptions, max: number): Promise<FileList> {
    const files: string[] = [];
    const queue: string[] = [''];
    let truncated = false;
    while (queue.length > 0) {
      // Past the time limit the walk stops, but not before it found something to work with.
      if ((opts.signal?.aborted && files.length > 0) || files.length >= max) {
        truncated = true;
        break;
      }
      const rel = queue.shift()!;
      let entries: Array<[string, vscode.FileType]>;
      try {
        entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(rel ? path.join(root.path, rel) : root.path));
      } catch {
        continue;
      }
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [name, type] of entries) {
        const child = rel ? `${rel}/${name}` : name;
        if ((type & vscode.FileType.SymbolicLink) !== 0 && !this.insideWorkspace(path.join(root.path, child))) continue;
        if ((type & vscode.FileType.Directory) !== 0) {
          if ((type & vscode.FileType.SymbolicLink) !== 0) continue; // linked folders: the search route follows them, cycles are its problem
          if (!opts.skipDir?.(child)) queue.push(child);
        } else if ((type & vscode.FileType.File) !== 0) files.push(child);
      }
    }
    files.sort();
    return { files: files.slice(0, max), truncated };
  }

  /** A symlink may point outside the workspace: such files are never read. */
  private insideWorkspace(file: string): boolean {
    let real: string;
    try {
      real = fs.realpathSync(file);
    } catch {
      return true; // not on disk (yet): an open document
    }
    return this.roots().some((r) => {
      let rootReal = r.path;
      try { rootReal = fs.realpathSync(r.path); } catch { /* keep */ }
      return real === rootReal || real.startsWith(rootReal + path.sep);
    });
  }

  async readFile(file: string): Promise<string | undefined> {
    const doc = openDocument(file);
    if (doc) return doc.getText();
    if (!this.insideWorkspace(file)) return undefined;
    try {
      return this.decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
    } catch {
      return undefined;
    }
  }

  async stat(file: string): Promise<FileStat | undefined> {
    const doc = openDocument(file);
    if (doc?.isDirty) return { size: Buffer.byteLength(doc.getText()), mtimeMs: Date.now(), isFile: true, isDirectory: false };
    try {
      const st = await vscode.workspace.fs.stat(vscode.Uri.file(file));
      return { size: st.size, mtimeMs: st.mtime, isFile: (st.type & vscode.FileType.File) !== 0, isDirectory: (st.type & vscode.FileType.Directory) !== 0 };
    } catch {
      return doc ? { size: Buffer.byteLength(doc.getText()), mtimeMs: 0, isFile: true, isDirectory: false } : undefined;
    }
  }

  async openEditors(): Promise<OpenEditor[]> {
    const out = new Map<string, OpenEditor>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) {
        if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'file') out.set(tab.input.uri.fsPath, { path: tab.input.uri.fsPath, dirty: tab.isDirty });
      }
    }
    for (const ed of vscode.window.visibleTextEditors) {
      if (ed.document.uri.scheme !== 'file') continue;
      const sel = ed.selection;
      out.set(ed.document.uri.fsPath, { path: ed.document.uri.fsPath, dirty: ed.document.isDirty, selection: sel.isEmpty ? undefined : [sel.start.line + 1, sel.end.line + 1] });
    }
    return [...out.values()];
  }

  async diagnostics(file: string | undefined, range?: [number, number]): Promise<EditorDiagnostic[]> {
    if (file === undefined) {
      return vscode.languages.getDiagnostics().filter(([uri]) => uri.scheme === 'file').flatMap(([uri, list]) => list.map((d) => toEditorDiagnostic(uri.fsPath, d)));
    }
    return vscode.languages.getDiagnostics(vscode.Uri.file(file))
      .filter((d) => !range || (d.range.start.line + 1 <= range[1] && d.range.end.line + 1 >= range[0]))
      .map((d) => toEditorDiagnostic(file, d));
  }

  findSymbol(name: string, opts: { kind: 'definitions' | 'references' | 'both'; limit: number; signal?: AbortSignal }): Promise<SymbolLocation[] | undefined> {
    return findSymbolWithProviders(this.roots(), name, opts);
  }

  /** The diff the user approved, as one WorkspaceEdit: one undo step, open editors follow. */
  applyEdit(proposal: EditProposal): Promise<EditOutcome> {
    return applyProposal(proposal);
  }

  /** In a terminal the user sees; its output comes back to the model. */
  runCommand(request: CommandRequest, signal?: AbortSignal): Promise<CommandOutcome> {
    return runInTerminal(request, signal);
  }

  deleteFile(absPath: string): Promise<EditOutcome> {
    return deleteWorkspaceFile(absPath);
  }

  renameFile(fromAbs: string, toAbs: string): Promise<EditOutcome> {
    return renameWorkspaceFile(fromAbs, toAbs);
  }

  async definitions(file: string, line: number, character: number): Promise<DefinitionLocation[]> {
    const result = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', vscode.Uri.file(file), new vscode.Position(line - 1, character));
    return (result ?? []).map((l) => {
      const uri = 'targetUri' in l ? l.targetUri : l.uri;
      const r = 'targetRange' in l ? l.targetRange : l.range;
      return { path: uri.fsPath, range: [r.start.line + 1, r.end.line + 1] as [number, number] };
    });
  }

  onDidChange(listener: (path: string) => void): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }
}
