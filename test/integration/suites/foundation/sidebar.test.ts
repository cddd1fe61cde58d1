import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ponder, ui, waitFor } from '../../lib';

const VIEW = { target: 'ponder.trace', purpose: 'webviewView' as const };

describe('Ponder sidebar view', () => {
  before(async () => {
    await ponder.activate();
  });

  it('resolves the ponder.trace webview and renders it in the workbench', async () => {
    await vscode.commands.executeCommand('ponder.trace.focus');
    const text = await waitFor(() => ui.webviewText(VIEW), { timeoutMs: 30_000, message: 'the Ponder Trace webview to render text' });
    assert.ok(text.trim().length > 0);
    // The view's own document, not an empty shell: its script ran and built elements.
    const built = await ui.webviewEval<number>(VIEW, () => document.body.querySelectorAll('*').length);
    assert.ok(built > 3, `only ${built} elements in the webview`);
  });

  it('the webview posts `ready` to the extension (the host answers a probe through it)', async () => {
    await vscode.commands.executeCommand('ponder.trace.focus');
    // ponder._test.sidebarProbe waits for the webview's `ready`, then round-trips a probe message.
    const probe = await vscode.commands.executeCommand<Record<string, unknown>>('ponder._test.sidebarProbe');
    assert.equal(typeof probe, 'object');
    assert.ok(probe && Object.keys(probe).length > 0, 'the probe answer is empty');
  });

  it('is titled Ponder in the activity bar', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.ponder');
    const title = await waitFor(() => ui.workbenchEval<string>(() => document.querySelector('.part.sidebar .title-label')?.textContent ?? ''), {
      message: 'the side bar title',
    });
    assert.match(title, /Ponder/i);
  });
});
