// The sidebar's browser side. It talks to the host only by messages; `ready` comes first.
import "./styles.css";
declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };

const vscode = acquireVsCodeApi();
window.addEventListener('message', (event: MessageEvent) => {
  const root = document.getElementById('root');
  if (root && event.data && typeof event.data === 'object') root.dataset.lastMessage = String((event.data as { type?: unknown }).type);
});
vscode.postMessage({ type: 'ready' });
