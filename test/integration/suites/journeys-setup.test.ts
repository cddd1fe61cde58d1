import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { ponder, sleep, ui, waitFor, workspaceRoot } from '../lib';

/** What VS Code answers itself when a request never reaches Ponder's handler. */
const NOT_HANDLED = /No activated agent|Language model unavailable|No default agent/i;

/** The profile in journeys-setup.setup.json points here: the server a user already runs. */
const LAB_PORT = 47613;

/** innerText of the newest response in the Chat view. */
const NEWEST_RESPONSE = `() => {
  const rows = [...document.querySelectorAll('.monaco-list-row')].filter((r) => r.querySelector('.interactive-response') || r.classList.contains('interactive-response'));
  rows.sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
  return rows.length ? rows[rows.length - 1].innerText : '';
}`;

/** The newest Chat view answer once it matches `done` (or shows VS Code's own failure). */
async function chatAnswer(done: RegExp, timeoutMs = 60_000): Promise<string> {
  return waitFor(async () => {
    const text = await ui.workbenchEval<string>(NEWEST_RESPONSE);
    return done.test(text) || NOT_HANDLED.test(text) ? text : '';
  }, { timeoutMs, intervalMs: 300, message: `the Chat view to show ${done}` });
}

/**
 * Journeys a newcomer walks when setting Ponder up, in a window of their own: the first command
 * of a fresh window, adding an endpoint through the UI and answering through it, and a server
 * without /health. Assertions read what the server received.
 */
describe('Journeys: setting up', function () {
  this.timeout(120_000);
  let lab: WireServer;

  before(async () => {
    lab = await startWireServer({ port: LAB_PORT });
  });
  after(async () => {
    await lab?.close();
  });

  it('the first command in a fresh window answers through the configured server', async () => {
    // Nothing of Ponder has run yet: the first thing the user does is Explain Selection from the palette.
    assert.equal(ponder.extension().isActive, false, 'Ponder was activated before the first command');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'src/cart.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(19, 0, 24, 0);
    await ui.press('F1');
    await sleep(300);
    await ui.type('Ponder: Explain Selection');
    await sleep(600);
    await ui.press('Enter');
    const text = await chatAnswer(/The answer is 4\./);
    await sleep(500);
    await ui.screenshot('journey-first-command');
    assert.doesNotMatch(text, NOT_HANDLED, `the first command did not reach Ponder; the Chat view says:\n${text}`);
    assert.equal(lab.chatRequests.length, 1, `the server got ${lab.chatRequests.length} chat requests`);
    assert.equal(lab.chatRequests[0].body?.model, 'test-model');
    assert.match(text, /The answer is 4\./);
  });

  it('a palette command starts a new chat thread instead of piling into the last one', async () => {
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'cart.ts is still open');
    editor.selection = new vscode.Selection(25, 0, 28, 0);
    await vscode.commands.executeCommand('ponder.explainSelection');
    await waitFor(() => lab.chatRequests.length === 2, { timeoutMs: 30_000, message: 'the second request at the server' });
    await chatAnswer(/The answer is 4\./);
    const requestsShown = await ui.workbenchEval<number>(`() => document.querySelectorAll('.interactive-session .interactive-request').length`);
    assert.equal(requestsShown, 1, 'the Chat view shows only the new command, in a thread of its own');
  });

  it('a server with no /health reads as up after a request worked, and stays up when checked', async () => {
    type Probe = { statusBar: string; header?: { health?: { state: string; detail: string } }; health: Record<string, { state: string; detail: string }> };
    const probe = async () => (await vscode.commands.executeCommand<Probe>('ponder._test.endpoints'))!;
    // The requests above worked: that alone says the server is up.
    const afterRequest = await waitFor(async () => { const p = await probe(); return p.health.lab?.state === 'up' ? p : undefined; }, { message: 'lab up after its requests' });
    assert.match(afterRequest.health.lab.detail, /a request answered at \d\d:\d\d:\d\d/);
    // A check now finds no /health (404) but the models list: still up, and it says how it knows.
    await vscode.commands.executeCommand('ponder._test.pollHealth');
    const checked = await probe();
    assert.equal(checked.health.lab.state, 'up', `lab after a check: ${JSON.stringify(checked.health.lab)}`);
    assert.match(checked.health.lab.detail, /lists its models \(it has no \/health\)/);
    assert.doesNotMatch(checked.statusBar, /\$\(error\)/);
    assert.match(checked.statusBar, /Lab server \$\(pass-filled\)/);
    assert.ok(lab.requests.some((r) => r.path === '/health'), 'the check asked /health first');
    assert.ok(lab.requests.some((r) => r.path === '/v1/models'), 'then the models list');
    await vscode.commands.executeCommand('ponder.trace.focus');
    await waitFor(async () => /lists its models/.test(await ui.webviewText('ponder.trace')), { message: 'the sidebar header to show how the server is known to be up' });
    await sleep(500);
    await ui.screenshot('journey-no-health-server-up');
  });
});
