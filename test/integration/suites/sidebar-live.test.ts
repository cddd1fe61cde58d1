import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { ponder, resetWorkbench, settings, ui, waitFor, workspaceRoot } from '../lib';
import { answerScenario, toolCallScenario, traceOf, useWireEndpoint, waitForApproval } from './chatHelpers';
import { VIEW } from './sidebarEvents';

/**
 * A real request (palette command, `ponder.commands.target: sidebar`) against the wire fixture
 * server: it streams into the sidebar, the model's run_command waits for approval, and the
 * user allows it with the webview's own button.
 */
describe('Ponder sidebar: a real request against the wire fixture server', () => {
  let wire: WireServer;

  before(async () => {
    await ponder.activate();
    wire = await startWireServer();
    await useWireEndpoint(wire.url);
    await settings.set('ponder.commands.target', 'sidebar');
    await settings.set('ponder.tools.enabled', 'all');
  });

  after(async () => {
    await settings.restore();
    await wire?.close();
    await resetWorkbench();
  });

  it('streams reasoning, a tool call allowed from the sidebar button, the answer, usage and cost', async () => {
    wire.enqueue(
      toolCallScenario('sidebar-cmd', 'run_command', { command: 'node -e "console.log(\'sidebar allowed me\')"' }, 'The tests decide: I will run one command.'),
      answerScenario('sidebar-answer', 'Both roundings happen: **applyDiscount** and `format`.', 'The command ran, so I can answer.'),
    );
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'src', 'pricing.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, Math.min(8, doc.lineCount - 1), 0);
    const running = vscode.commands.executeCommand<string>('ponder.explainSelection');

    const pending = await waitForApproval('run_command');
    await vscode.commands.executeCommand('ponder.trace.focus');
    const waiting = await waitFor(async () => { const t = await ui.webviewText(VIEW); return t.includes('waiting for approval') ? t : ''; }, { timeoutMs: 20_000, message: 'the approval buttons in the sidebar' });
    assert.match(waiting, /The tests decide/);
    assert.match(waiting, /run_command/);
    await ui.webviewScreenshot(VIEW, 'sidebar-live-approval');
    await ui.webviewClick(VIEW, 'button[data-action="allow"]');

    const requestId = await running;
    assert.equal(requestId, pending.requestId);
    const text = await waitFor(async () => { const t = await ui.webviewText(VIEW); return t.includes('Both roundings happen') && /Usage and cost/.test(t) ? t : ''; }, { timeoutMs: 30_000, message: 'the answer, usage and cost in the sidebar' });
    assert.match(text, /allowed by you/);
    assert.match(text, /sidebar allowed me|exit code 0/);
    assert.match(text, /The command ran, so I can answer/);
    assert.match(text, /Prompt/);
    assert.match(text, /from the price table|reported by the provider/);
    const trace = await traceOf(requestId);
    const approval = trace.find((e) => e.type === 'tool.approval' && e.state !== 'asked');
    assert.equal(approval?.state, 'granted');
    assert.equal(approval?.by, 'user');
    await ui.webviewScreenshot(VIEW, 'sidebar-live-done');
  });
});
