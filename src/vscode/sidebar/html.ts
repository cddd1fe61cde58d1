import type * as vscode from 'vscode';
import { strictPageHtml } from '../webviewPage';

/** The sidebar page (dist/webview.js + .css) under the strict CSP of webviewPage.ts. */
export function sidebarHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return strictPageHtml(webview, extensionUri, { bundle: 'webview', title: 'Ponder Trace', body: '<div id="root" aria-live="off"></div>' });
}
