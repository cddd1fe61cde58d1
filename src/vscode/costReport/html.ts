import type * as vscode from 'vscode';
import { strictPageHtml, strictWebviewOptions } from '../webviewPage';

/**
 * The cost report page (dist/costReport.js + .css) under the strict CSP of webviewPage.ts; the
 * chart is inline SVG drawn by the script with theme colors.
 */
export function costReportHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return strictPageHtml(webview, extensionUri, {
    bundle: 'costReport',
    title: 'Ponder Cost Report',
    body: '<main id="root" aria-live="polite"><p class="muted">Loading the spend ledger…</p></main>',
  });
}

export function costReportOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { ...strictWebviewOptions(extensionUri), retainContextWhenHidden: false };
}
