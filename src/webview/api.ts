import type { WebviewMessage } from '../core/protocol/messages';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };

/** The page's only channel to the host; typed by the shared protocol. */
const vscodeApi = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  vscodeApi.postMessage(message);
}
