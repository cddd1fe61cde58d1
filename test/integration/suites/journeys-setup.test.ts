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
});
