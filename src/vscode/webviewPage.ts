import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * A Ponder webview page: one nonce'd script and one stylesheet from dist/, nothing else. The CSP
 * admits no inline script or style, no eval, no remote resource; images only from the extension
 * or data: URIs. The nonce comes from `crypto`, new for every page.
 */
export function strictPageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: { bundle: string; title: string; body: string }): string {
  const nonce = randomBytes(18).toString('base64');
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, `${page.bundle}.js`));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, `${page.bundle}.css`));
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${page.title}</title>
</head>
<body>
${page.body}
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/** Scripts on, command URIs off, resources only from the built assets. */
export function strictWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')] };
}
