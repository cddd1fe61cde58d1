import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { config, ui, waitFor, workspaceRoot } from '../lib';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { answerScenario, chatResponses, messagesOf, nextAnswer, renderedAnswer, traceOf } from './chatHelpers';

/**
 * Journeys a new user walks, in a fresh profile and window, asserting what the endpoint
 * RECEIVED. The workspace settings (journeys-selection.setup.json) name three vLLM profiles on
 * fixed loopback ports, none with a window of its own: "journey" (the default), "small" (a
 * server whose max_model_len is 6,144) and "down" (nothing listens there).
 */

/** The user message the model got (the last `user` message of a chat request). */
function userText(body: Record<string, unknown> | undefined): string {
  return messagesOf(body).filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

/** A screenshot of the window kept in docs/screenshots/ (the README shows them). */
async function keepScreenshot(name: string): Promise<void> {
  const png = await ui.screenshot(name);
  const dir = path.join(config().repoRoot, 'docs', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(png, path.join(dir, `${name}.png`));
}

async function selectLines(rel: string, first: number, last: number): Promise<{ editor: vscode.TextEditor; text: string }> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), rel));
  const editor = await vscode.window.showTextDocument(doc);
  editor.selection = new vscode.Selection(first - 1, 0, last, 0); // whole lines first..last
  editor.revealRange(editor.selection, vscode.TextEditorRevealType.InCenter);
  const text = doc.getText(new vscode.Range(first - 1, 0, last - 1, doc.lineAt(last - 1).text.length));
  return { editor, text };
}

describe('Journeys: the selection reaches the model, small windows, a server that is off', function () {
  this.timeout(180_000);
  let journey: WireServer;
  let small: WireServer;

  before(async () => {
    journey = await startWireServer({ port: 38617 });
    small = await startWireServer({ port: 38618, models: [{ id: 'small-model', max_model_len: 6144, owned_by: 'vllm' }] });
  });
  after(async () => {
    await vscode.commands.executeCommand('ponder._test.selectEndpoint', undefined);
    await journey?.close();
    await small?.close();
  });

  it('fresh profile, first action Explain Selection on lines 20-24: the request names those lines and quotes them', async () => {
    // Nothing of Ponder has run in this window yet: this command is the first thing it does.
    const { text } = await selectLines('src/cart.ts', 20, 24);
    journey.enqueue(answerScenario('first-explain', 'remove() looks up the index of the sku and splices one item out; an unknown sku gives -1, which removes the last item.'));
    await vscode.commands.executeCommand('ponder.explainSelection');
    const answer = await nextAnswer(0, 150_000);
    assert.equal(answer.command, 'explain');
    assert.equal(answer.failed, undefined, answer.markdown);

    assert.equal(journey.chatRequests.length, 1, 'one request reached the server');
    const body = journey.chatRequests[0].body;
    const user = userText(body);
    assert.match(user, /The user selected lines 20-24 of src\/cart\.ts \(37 lines in the file\)\./);
    assert.ok(user.includes('### Selection: src/cart.ts, lines 20-24'), user);
    assert.ok(user.includes(text), `the selected text verbatim:\n${text}`);
    assert.match(text, /remove\(sku: string\)[\s\S]*splice\(index, 1\);\n {2}}$/);
    // The server's own window was asked for and used (32,768 from /v1/models, not an assumption).
    const trace = await traceOf(answer.requestId);
    const packed = trace.find((e) => e.type === 'context.packed') as { window?: number } | undefined;
    assert.equal(packed?.window, 32768);
    console.log(`Explain Selection request body as received:\n${JSON.stringify(body, null, 2)}`);
    fs.writeFileSync(path.join(config().resultsDir, 'explain-selection-request.json'), JSON.stringify(body, null, 2));

    await renderedAnswer(/splices one item out/);
    await keepScreenshot('journey-explain-selection-chat');
    // The sidebar's history shows the file and lines.
    await vscode.commands.executeCommand('ponder.showTrace', answer.requestId);
    const history = await waitFor(async () => {
      const shown = await ui.webviewText('ponder.trace', '.request-list');
      return shown.includes('src/cart.ts:20-24') ? shown : '';
    }, { timeoutMs: 20_000, message: 'the history row to show src/cart.ts:20-24' });
    assert.match(history, /explain/);
    await keepScreenshot('journey-explain-selection-sidebar');
  });

  it('nothing selected: the request quotes the cursor line and the method around it', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'src/cart.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(26, 6, 26, 6); // line 27, inside subtotal()
    journey.enqueue(answerScenario('cursor-explain', 'subtotal() adds up price times quantity.'));
    const sent = journey.chatRequests.length;
    const before = (await chatResponses()).length;
    await vscode.commands.executeCommand('ponder.explainSelection');
    const answer = await nextAnswer(before, 60_000);
    assert.equal(answer.failed, undefined, answer.markdown);
    const user = userText(journey.chatRequests[sent].body);
    assert.match(user, /Nothing is selected; the cursor is on line 27 of src\/cart\.ts, inside `subtotal` \(lines 26-28\)\./);
    assert.ok(user.includes('### Cursor: src/cart.ts, line 27 in `subtotal` (lines 26-28, verbatim)'), user);
    assert.ok(user.includes(doc.getText(new vscode.Range(25, 0, 27, doc.lineAt(27).text.length))), 'the method verbatim');
  });

  it('@ponder with a file reference with lines (cart.ts:30-32): the request states and quotes those lines', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'src/cart.ts'));
    journey.enqueue(answerScenario('reference-explain', 'total() applies the discount to the subtotal.'));
    const sent = journey.chatRequests.length;
    const before = (await chatResponses()).length;
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
    await vscode.commands.executeCommand('workbench.action.chat.open', {
      query: '@ponder /explain', mode: 'ask',
      attachFiles: [{ uri: doc.uri, range: { startLineNumber: 30, startColumn: 1, endLineNumber: 32, endColumn: 4 } }],
    });
    const answer = await nextAnswer(before, 60_000);
    assert.equal(answer.failed, undefined, answer.markdown);
    const user = userText(journey.chatRequests[sent].body);
    assert.match(user, /The user selected lines 30-32 of src\/cart\.ts \(37 lines in the file\)\./);
    assert.ok(user.includes(doc.getText(new vscode.Range(29, 0, 31, 3))), user);
  });

  it('a server with a 6K window (max_model_len 6144): the picker shows its real window, and the request packs the selection and fits', async () => {
    await vscode.commands.executeCommand('ponder._test.selectEndpoint', 'small');
    const { text } = await selectLines('src/cart.ts', 26, 32);
    small.enqueue(answerScenario('small-explain', 'subtotal() sums price times quantity; total() applies the discount.'));
    const before = (await chatResponses()).length;
    await vscode.commands.executeCommand('ponder.explainSelection');
    const answer = await nextAnswer(before, 60_000);
    assert.equal(answer.failed, undefined, answer.markdown);
    assert.equal(small.chatRequests.length, 1);
    const body = small.chatRequests[0].body as Record<string, unknown>;
    // The output reserve scaled with the window: a quarter of 6,144.
    assert.equal(body.max_tokens, 1536);
    assert.equal(body.model, 'small-model');
    const user = userText(body);
    assert.ok(user.includes('### Selection: src/cart.ts, lines 26-32') && user.includes(text), user);
    const trace = await traceOf(answer.requestId);
    const packed = trace.find((e) => e.type === 'context.packed') as { window?: number; used: number; budget: number } | undefined;
    assert.equal(packed?.window, 6144);
    assert.ok(packed && packed.used > 0 && packed.budget <= 6144 - 1536, JSON.stringify(packed));
    const usage = trace.find((e) => e.type === 'usage');
    assert.ok(usage, 'the request was answered');
    // What VS Code's model picker knows of it: the server's window, not "32K (assumed)".
    const [model] = await vscode.lm.selectChatModels({ vendor: 'ponder', id: 'small' });
    assert.equal(model?.maxInputTokens, 6144 - 1536);
    await renderedAnswer(/subtotal\(\) sums/);
    await keepScreenshot('journey-small-window');
  });

  it('a server that is off: the message names its URL and what to do, and nothing is recorded as billed', async () => {
    await vscode.commands.executeCommand('ponder._test.selectEndpoint', 'down');
    await selectLines('src/cart.ts', 20, 24);
    const before = (await chatResponses()).length;
    await vscode.commands.executeCommand('ponder.explainSelection');
    const answer = await nextAnswer(before, 60_000);
    assert.equal(answer.failed, 'connection');
    assert.ok(answer.markdown.includes('No server at http://127.0.0.1:38619/v1 (connection refused).'), answer.markdown);
    assert.ok(answer.markdown.includes('Is a server running at http://127.0.0.1:38619/v1?'), answer.markdown);
    assert.match(answer.markdown, /Nothing reached http:\/\/127\.0\.0\.1:38619\/v1, so nothing was billed\./);
    assert.doesNotMatch(answer.markdown, /localhost:8000|may still bill/);
    const trace = await traceOf(answer.requestId);
    // The lines selected right before the command, not the previous selection the Chat view's implicit reference still held.
    assert.deepEqual((trace.find((e) => e.type === 'request.start') as { focus?: unknown } | undefined)?.focus, { path: 'src/cart.ts', lines: [20, 24], kind: 'selection' });
    assert.equal(trace.filter((e) => e.type === 'cost' || e.type === 'usage').length, 0, 'no cost, no usage');
    const ledger = await vscode.commands.executeCommand<string>('ponder._test.ledgerPath');
    const lines = ledger && fs.existsSync(ledger) ? fs.readFileSync(ledger, 'utf8').trim().split('\n').filter(Boolean) : [];
    assert.ok(!lines.some((l) => l.includes(answer.requestId)), 'the failed request is not in the ledger');
    await renderedAnswer(/Is a server running at/);
    await keepScreenshot('journey-connection-failure');
  });
});
