import type { EditorPort, WorkspaceRoot } from './port';

/**
 * The same editor port seen through other workspace folders (agent mode: only the folder it
 * works in). Every method delegates to `port`, bound to it, so a class-based port keeps its
 * state; a method the port lacks stays absent, so tools that need it are still not offered.
 */
export function scopedTo(port: EditorPort, roots: readonly WorkspaceRoot[]): EditorPort {
  return {
    roots: () => roots,
    get trusted() { return port.trusted; },
    listFiles: port.listFiles.bind(port),
    readFile: port.readFile.bind(port),
    stat: port.stat.bind(port),
    readFileSync: port.readFileSync?.bind(port),
    openEditors: port.openEditors?.bind(port),
    diagnostics: port.diagnostics?.bind(port),
    definitions: port.definitions?.bind(port),
    findSymbol: port.findSymbol?.bind(port),
    applyEdit: port.applyEdit.bind(port),
    runCommand: port.runCommand.bind(port),
    deleteFile: port.deleteFile.bind(port),
    renameFile: port.renameFile.bind(port),
    onDidChange: port.onDidChange?.bind(port),
  };
}
