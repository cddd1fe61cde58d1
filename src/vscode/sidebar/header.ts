import type { HeaderInfo } from '../../core/protocol/header';

export type { HeaderInfo } from '../../core/protocol/header';

type Listener = (header: HeaderInfo) => void;

/**
 * The sidebar header's data, set by the parts that own it: the endpoints part calls
 * `header.set({ endpoint })`, the spend part `header.set({ spend })`. Each call
 * merges at the top level; pass `{ endpoint: undefined }` to clear one. The sidebar listens and
 * forwards it to the webview; nothing here imports the sidebar, so callers stay decoupled.
 */
export class SidebarHeader {
  private value: HeaderInfo = {};
  private readonly listeners = new Set<Listener>();

  get(): HeaderInfo {
    return this.value;
  }

  set(partial: Partial<HeaderInfo>): void {
    this.value = { ...this.value, ...partial };
    for (const l of this.listeners) l(this.value);
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
