/** The context engine's public surface (other parts import from here). */
export type { ContextRequest, PackedContext, PackedItem, PackOptions, WorkspaceRoot, FileStat, FileList, ListOptions, OpenEditor, DefinitionLocation, Disposable } from './types';
export { packContext } from './engine';
export { renderContext, renderFileItem, neutralizeSpecialTokens } from './render';
export { isSecretPath, redactSecrets, type Redaction } from './secrets';
export { createIgnoreFilter, type IgnoreFilter } from './ignore';
export { NodeWorkspace } from './nodeWorkspace';
export { WorkspaceIndex } from './workspaceIndex';
