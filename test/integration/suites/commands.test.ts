import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { ponder, resetWorkbench, settings, sleep, ui, waitFor, workspaceRoot } from '../lib';
import { answerScenario, messagesOf, nextAnswer, renderedAnswer, traceOf, chatResponses, wireForSuite } from './chatHelpers';

/** The user message the model got (the last `user` message of a chat request). */
function userText(body: Record<string, unknown> | undefined): string {
  return messagesOf(body).filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

interface Summary { requestId: string; command?: string; status: string }

/** The palette and editor commands, in the real workbench, against the wire fixture server. */
describe('Ponder palette commands', function () {
  this.timeout(90_000);
  let cart: vscode.Uri;

  before(async () => {
    const api = await ponder.activate<{ services: { traces: { list(): Summary[] } } }>();
    traces = () => api.services.traces.list();
    cart = vscode.Uri.joinPath(workspaceRoot(), 'src/cart.ts');
  });
  const wire = wireForSuite({ recover: true });
  let traces: () => Summary[] = () => [];

  beforeEach(() => resetWorkbench());

  async function selectRemove(): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(cart));
    const start = editor.document.getText().split('\n').findIndex((l) => l.includes('remove(sku: string)'));
    editor.selection = new vscode.Selection(start, 0, start + 5, 0);
    return editor;
  }

  it('Explain Selection opens the Chat view with @ponder /explain and answers about the selected code', async () => {
    await selectRemove();
    wire().enqueue(answerScenario('explain', 'remove() finds the sku and splices it out.'));
    const sent = wire().chatRequests.length;
    const before = (await chatResponses()).length;
    await vscode.commands.executeCommand('ponder.explainSelection');
    const answer = await nextAnswer(before);
    assert.equal(answer.command, 'explain');
    const request = wire().chatRequests[sent];
    assert.match(userText(request.body), /splice\(index, 1\)/, 'the selected code was packed into the prompt');
    assert.match(JSON.stringify(messagesOf(request.body)[0]), /Explain what the selected code does/);
    await renderedAnswer(/remove\(\) finds the sku/);
    await ui.screenshot('command-explain-selection-in-chat');
  });

  it('Fix Selection sends the problems VS Code reports in the selection', async () => {
    const editor = await selectRemove();
    const diagnostics = vscode.languages.createDiagnosticCollection('ponder-tests');
    try {
      const line = editor.selection.start.line + 3;
      diagnostics.set(cart, [new vscode.Diagnostic(new vscode.Range(line, 4, line, 30), 'splice(-1) removes the last item', vscode.DiagnosticSeverity.Error)]);
      wire().enqueue(answerScenario('fix', 'Guard the index before splicing.'));
      const sent = wire().chatRequests.length;
      const before = (await chatResponses()).length;
      await vscode.commands.executeCommand('ponder.fixSelection');
      const answer = await nextAnswer(before);
      assert.equal(answer.command, 'fix');
      assert.match(userText(wire().chatRequests[sent].body), new RegExp(`Problems VS Code reports in cart\\.ts lines \\d+-\\d+:\\n- line ${line + 1}: error: splice\\(-1\\) removes the last item`));
      await renderedAnswer(/Guard the index/);
      await ui.screenshot('command-fix-selection');
    } finally {
      diagnostics.dispose();
    }
  });

  it('Review Changes reviews the working-tree diff', async () => {
    const readme = vscode.Uri.joinPath(workspaceRoot(), 'README.md');
    const original = fs.readFileSync(readme.fsPath, 'utf8');
    fs.writeFileSync(readme.fsPath, original + '\nA line added for the review test.\n');
    try {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      wire().enqueue(answerScenario('review', 'The README change looks fine.'));
      const sent = wire().chatRequests.length;
      const before = (await chatResponses()).length;
      await vscode.commands.executeCommand('ponder.reviewChanges');
      const answer = await nextAnswer(before);
      assert.equal(answer.command, 'review');
      assert.match(userText(wire().chatRequests[sent].body), /```diff[\s\S]*\+A line added for the review test\./);
      await renderedAnswer(/README change looks fine/);
      await ui.screenshot('command-review-changes');
    } finally {
      fs.writeFileSync(readme.fsPath, original);
    }
  });

  it('Ask About Repository takes the question from an input box and, with target "sidebar", shows the trace there', async () => {
    await settings.set('ponder.commands.target', 'sidebar');
    wire().enqueue(answerScenario('ask', 'The total applies the discount to the subtotal.'));
    const sent = wire().chatRequests.length;
    const pending = vscode.commands.executeCommand<string | undefined>('ponder.askRepository');
    await sleep(800); // the input box opens in the browser
    await ui.type('How is the total computed?');
    await ui.screenshot('command-ask-repository-input');
    await ui.press('Enter');
    const requestId = await pending;
    assert.ok(requestId, 'the command returns the request it ran');
    assert.match(userText(wire().chatRequests[sent].body), /How is the total computed\?/);
    const trace = await traceOf(requestId);
    assert.equal(trace.find((e) => e.type === 'request.start')?.command, 'ask');
    assert.equal(trace.at(-1)?.type, 'request.end');
    const shown = await waitFor(async () => {
      const text = await ui.webviewText({ target: 'ponder.trace', purpose: 'webviewView' });
      return /discount to the subtotal/.test(text) ? text : '';
    }, { timeoutMs: 20_000, message: 'the answer in the Ponder sidebar' });
    assert.match(shown, /How is the total computed/);
    await ui.screenshot('command-ask-repository-sidebar');
  });

  it('Cancel Request stops a request running in the sidebar; Re-run sends it again', async () => {
    await settings.set('ponder.commands.target', 'sidebar');
    await selectRemove();
    wire().enqueue('stall');
    const sent = wire().chatRequests.length;
    const running = vscode.commands.executeCommand<string>('ponder.writeTests');
    await waitFor(() => wire().chatRequests.length > sent, { message: 'the request to reach the endpoint' });
    const id = traces()[0]?.requestId;
    assert.ok(id);
    assert.equal(await vscode.commands.executeCommand('ponder.cancelRequest', id), true);
    assert.equal(await running, id);
    assert.equal(await wire().waitForClientClose(sent, 5000), true, 'the HTTP stream was closed');
    assert.equal(traces().find((s) => s.requestId === id)?.status, 'cancelled');

    wire().enqueue(answerScenario('rerun', 'Here are the tests.'));
    const again = await vscode.commands.executeCommand<string>('ponder.rerunRequest', id);
    assert.notEqual(again, id);
    const asked = (body: Record<string, unknown> | undefined) => userText(body).split("The user's request:\n").at(-1);
    assert.equal(asked(wire().chatRequests.at(-1)?.body), asked(wire().chatRequests[sent].body), 'the same request was sent again');
    assert.equal(traces().find((s) => s.requestId === again)?.status, 'done');
  });
});
