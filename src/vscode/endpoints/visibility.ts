import * as vscode from 'vscode';

/**
 * Whether someone can see Ponder: the window has focus and a Ponder view is showing. Health
 * polling runs only then. The sidebar provider reports its view's visibility here; the window's
 * focus comes from `vscode.window.state`.
 */
export class PonderVisibility implements vscode.Disposable {
  private sidebar = false;
  private focused = vscode.window.state.focused;
  private readonly emitter = new vscode.EventEmitter<boolean>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription = vscode.window.onDidChangeWindowState((s) => {
    if (s.focused === this.focused) return;
    this.focused = s.focused;
    this.emitter.fire(this.visible);
  });

  get visible(): boolean {
    return this.focused && this.sidebar;
  }

  get windowFocused(): boolean {
    return this.focused;
  }

  get sidebarVisible(): boolean {
    return this.sidebar;
  }

  /** Called by the sidebar view provider when its view is shown, hidden or disposed. */
  setSidebarVisible(visible: boolean): void {
    if (visible === this.sidebar) return;
    this.sidebar = visible;
    this.emitter.fire(this.visible);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
