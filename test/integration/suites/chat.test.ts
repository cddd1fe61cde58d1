import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ponder, resetWorkbench, settings, ui, waitFor, workspaceRoot } from '../lib';
import {
  answerScenario, approvalPromptText, messagesOf, nextAnswer, renderedAnswer, sendChat, toolCallScenario, traceOf, waitForApproval, wireForSuite,
} from './chatHelpers';
import { BASE_USAGE, chunk, usageChunk } from '../../fixtures/wire';

/**
 * `@ponder` in the real Chat view of VS Code 1.139 (code-server), answering from the wire fixture
 * server started here in the extension host. Each test checks what the user sees: the answer's
 * text in the Chat view (and the participant's own record of it), files on disk, and the trace.
 */
describe('@ponder in the Chat view', function () {
  this.timeout(90_000);

  before(async () => {
    await ponder.activate();
  });
  const wire = wireForSuite({ recover: true });

  beforeEach(async () => {
    await resetWorkbench();
  });

  it('shows the gist of the reasoning while it thinks, the answer first, the full reasoning one click away, and a footer', async () => {
    // Reasoning that takes a while, sentence by sentence, as a user would watch it.
    wire().enqueue({
      name: 'slow-reasoning', steps: [
        { data: chunk({ reasoning: 'The user asks ' }) }, { data: chunk({ reasoning: 'for 2+2. ' }) }, { delayMs: 1800 },
        { data: chunk({ reasoning: 'That is 4.' }) }, { delayMs: 300 },
        { data: chunk({ content: 'The answer ' }) }, { data: chunk({ content: 'is 4.' }) }, { data: chunk({}, 'stop') }, { data: usageChunk(BASE_USAGE) },
      ],
    });
    const before = await sendChat('@ponder What is 2+2?');
    const answer = await nextAnswer(before);
    assert.match(answer.markdown, /The answer is 4\./);
    // While thinking: progress lines with the latest reasoning sentence.
    assert.ok(answer.progress.some((p) => /^Thinking… \d+ s: The user asks for 2\+2\.$/.test(p)), `progress: ${answer.progress.join(' | ')}`);
    assert.ok(answer.progress.some((p) => /^Thinking… \d+ s: That is 4\.$/.test(p)), `progress: ${answer.progress.join(' | ')}`);
    // Done: the answer reads first; no cut-off summary; one line and a button to the full reasoning.
    assert.ok(answer.markdown.indexOf('The answer is 4.') < answer.markdown.indexOf('Reasoned for'), answer.markdown);
    const reasoned = /_Reasoned for (\d+\.\d s) · 30 reasoning tokens\. "Show full reasoning" opens all of it in the sidebar\._/.exec(answer.markdown)?.[1];
    assert.ok(reasoned, answer.markdown);
    assert.doesNotMatch(answer.markdown, /\(summary\)/);
    assert.match(answer.markdown, /\*\*wire\*\* · `test-model` · 120 in \(64 cached\) · 48 out \(30 reasoning\) · \$/);
    assert.ok(answer.buttons.includes('Show full reasoning'), `buttons: ${answer.buttons.join(', ')}`);
    const shown = await renderedAnswer(/The answer is 4\./);
    assert.match(shown, /Show full reasoning/);
    await ui.screenshot('chat-answer-with-reasoning');
    // The button's command opens the sidebar on this request, with the whole reasoning.
    // One click: the button in the Chat view opens the sidebar on this request, with the whole reasoning.
    assert.ok(await ui.click('.interactive-response .monaco-button:has-text("Show full reasoning")'), 'the button was clicked');
    const side = await waitFor(async () => { const t = await ui.webviewText({ target: 'ponder.trace' }); return t.includes('The user asks for 2+2. That is 4.') ? t : ''; }, { message: 'the full reasoning in the sidebar' });
    assert.match(side, /Reasoning/);
    // One measure, one format: the sidebar says the same time as the chat.
    assert.ok(side.includes(`thought for ${reasoned}`), `the sidebar says the chat's time (Reasoned for ${reasoned})`);
    await ui.screenshot('chat-full-reasoning-in-sidebar');
    const trace = await traceOf(answer.requestId);
    assert.ok(trace.some((e) => e.type === 'reasoning.delta'), 'reasoning streamed into the trace');
    assert.equal(trace.at(-1)?.type, 'request.end');
  });

  it('sends earlier turns of the conversation, and says when the history budget leaves some out', async () => {
    wire().enqueue('vllm');
    const first = await sendChat('@ponder What is 2+2?');
    await nextAnswer(first);
    // A follow-up in the same chat: VS Code hands the earlier turn to the participant as history.
    wire().enqueue(answerScenario('times-three', 'Times three it is 12.'));
    const sent = wire().chatRequests.length;
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@ponder And times 3?', mode: 'ask' });
    const second = await nextAnswer(first + 1);
    assert.match(second.markdown, /Times three it is 12\./);
    const messages = messagesOf(wire().chatRequests[sent].body);
    assert.ok(messages.some((m) => m.role === 'user' && m.content === 'What is 2+2?'), 'the earlier question was sent');
    assert.ok(messages.some((m) => m.role === 'assistant' && m.content === 'The answer is 4.'), 'the earlier answer was sent');

    // With a tiny history budget the earlier turns are left out, and the answer says so.
    await settings.set('ponder.chat.historyTokens', 5);
    wire().enqueue(answerScenario('no-history', 'Without history I cannot tell.'));
    const sent2 = wire().chatRequests.length;
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@ponder And minus 1?', mode: 'ask' });
    const third = await nextAnswer(first + 2);
    assert.match(third.markdown, /earlier turns? (was|were) (dropped|summarized) to stay within ponder\.chat\.historyTokens \(5\)/);
    assert.ok(!messagesOf(wire().chatRequests[sent2].body).some((m) => m.content === 'The answer is 4.'), 'the old answer was not sent');
    await renderedAnswer(/historyTokens/);
    await ui.screenshot('chat-history-budget');
  });

  it('runs a read-only tool without asking and answers from its result', async () => {
    wire().enqueue(toolCallScenario('read-cart', 'read_file', { path: 'src/cart.ts' }), answerScenario('after-read', 'Cart.remove splices index -1 when the sku is missing.'));
    const sent = wire().chatRequests.length;
    const before = await sendChat('@ponder Why does remove delete the wrong item?');
    const answer = await nextAnswer(before);
    assert.match(answer.markdown, /Cart\.remove splices index -1/);
    assert.match(answer.markdown, /Read: \[src\/cart\.ts\]/, 'the file read is linked after the answer');
    const second = wire().chatRequests[sent + 1];
    assert.ok(second, 'the tool result went back to the model in a second request');
    const toolMessage = messagesOf(second.body).find((m) => m.role === 'tool');
    assert.match(toolMessage?.content ?? '', /class Cart/);
    const trace = await traceOf(answer.requestId);
    const result = trace.find((e) => e.type === 'tool.result');
    assert.equal(result?.ok, true);
    assert.ok(!trace.some((e) => e.type === 'tool.approval' && e.state === 'asked'), 'read tools never ask');
    await renderedAnswer(/Cart\.remove splices/);
    await ui.screenshot('chat-read-only-tool-round');
  });

  it('proposes an edit in a diff editor; approved, it is applied as one undo step', async () => {
    const file = vscode.Uri.joinPath(workspaceRoot(), 'src/cart.ts');
    const original = fs.readFileSync(file.fsPath, 'utf8');
    const oldText = 'this.items.splice(index, 1);';
    const newText = 'if (index >= 0) this.items.splice(index, 1);';
    wire().enqueue(
      toolCallScenario('edit-cart', 'propose_edit', { path: 'src/cart.ts', edits: [{ old_text: oldText, new_text: newText }], explanation: 'Do nothing for an unknown sku.' }),
      answerScenario('after-edit', 'Fixed: remove now ignores unknown skus.'),
    );
    try {
      const before = await sendChat('@ponder /fix remove deletes the last item for an unknown sku');
      const pending = await waitForApproval('propose_edit');
      assert.match(pending.detail, /Apply the edit to src\/cart\.ts \(\+1 −1\)/);
      // The diff editor shows current vs proposed.
      await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('proposed by Ponder')), { message: 'the diff editor of the proposal' });
      const prompt = await approvalPromptText(/Apply the edit to src\/cart\.ts/);
      assert.match(prompt, /Allow for this session/);
      await ui.screenshot('chat-edit-proposed-diff');
      assert.equal(fs.readFileSync(file.fsPath, 'utf8'), original, 'nothing is written before approval');

      assert.equal(await vscode.commands.executeCommand('ponder.resolveToolApproval', { requestId: pending.requestId, callId: pending.callId, allow: true }), true);
      const answer = await nextAnswer(before);
      assert.match(answer.markdown, /Fixed: remove now ignores unknown skus\./);
      assert.match(answer.markdown, /Edited: \[src\/cart\.ts\]/);
      const onDisk = fs.readFileSync(file.fsPath, 'utf8');
      assert.ok(onDisk.includes(newText), 'the edit is on disk');
      assert.equal(onDisk, original.replace(oldText, newText));
      const trace = await traceOf(answer.requestId);
      assert.ok(trace.some((e) => e.type === 'tool.approval' && e.state === 'granted' && e.by === 'user'));
      await renderedAnswer(/Fixed: remove/);
      await ui.screenshot('chat-edit-applied');

      // One Undo in the editor takes the whole edit back.
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('undo');
      await waitFor(() => doc.getText() === original, { message: 'one undo to restore the original text' });
      assert.equal(doc.isDirty, true, 'the undone edit shows as an unsaved change');
      // Save as the user would (Ctrl+S); a save can be refused while another is settling, so retry.
      await waitFor(async () => {
        if (doc.isDirty) await vscode.commands.executeCommand('workbench.action.files.save');
        return fs.readFileSync(file.fsPath, 'utf8') === original;
      }, { timeoutMs: 10_000, intervalMs: 500, message: 'the undone file saved to disk' });
    } finally {
      // Leave the file as the other tests expect it, whatever happened above.
      if (fs.readFileSync(file.fsPath, 'utf8') !== original) fs.writeFileSync(file.fsPath, original);
    }
  });

  it('refuses a path that escapes the workspace and tells the model so', async () => {
    wire().enqueue(toolCallScenario('escape', 'read_file', { path: '../../../../etc/passwd' }), answerScenario('after-escape', 'I cannot read files outside the workspace.'));
    const sent = wire().chatRequests.length;
    const before = await sendChat('@ponder Show me /etc/passwd');
    const answer = await nextAnswer(before);
    const trace = await traceOf(answer.requestId);
    const result = trace.find((e) => e.type === 'tool.result');
    assert.equal(result?.ok, false);
    assert.match(String(result?.error ?? result?.summary), /outside|workspace/i);
    const toolMessage = messagesOf(wire().chatRequests[sent + 1]?.body).find((m) => m.role === 'tool');
    assert.match(toolMessage?.content ?? '', /outside|workspace/i);
    assert.doesNotMatch(toolMessage?.content ?? '', /root:/, 'no byte of /etc/passwd reached the model');
    assert.match(answer.markdown, /I cannot read files outside the workspace\./);
    await renderedAnswer(/outside the workspace/);
    await ui.screenshot('chat-path-escape-refused');
  });

  it('shows a command for approval; denied, it does not run and the model is told', async () => {
    const marker = path.join(workspaceRoot().fsPath, 'pwned.txt');
    wire().enqueue(toolCallScenario('cmd', 'run_command', { command: 'echo pwned > pwned.txt' }), answerScenario('after-deny', 'Understood, I will not run it.'));
    const sent = wire().chatRequests.length;
    const before = await sendChat('@ponder Clean up the build output');
    const pending = await waitForApproval('run_command');
    assert.match(pending.detail, /Ponder wants to run: "echo pwned > pwned\.txt"/);
    const prompt = await approvalPromptText(/Ponder wants to run: "echo pwned > pwned\.txt"/);
    assert.match(prompt, /in \. \(/, 'the working directory is shown');
    await ui.screenshot('chat-command-approval');
    await vscode.commands.executeCommand('ponder.resolveToolApproval', { requestId: pending.requestId, callId: pending.callId, allow: false });
    const answer = await nextAnswer(before);
    assert.equal(fs.existsSync(marker), false, 'the denied command never ran');
    const trace = await traceOf(answer.requestId);
    assert.ok(trace.some((e) => e.type === 'tool.approval' && e.state === 'denied'));
    const toolMessage = messagesOf(wire().chatRequests[sent + 1]?.body).find((m) => m.role === 'tool');
    assert.match(toolMessage?.content ?? '', /denied|not allowed|rejected|said no/i);
    await renderedAnswer(/Understood, I will not run it\./);
    await ui.screenshot('chat-command-denied');
  });

  it('runs an approved command in a terminal the user sees and returns its output, without the window\'s credentials', async () => {
    // A credential in the editor's own environment (a token a shell exported before starting VS Code).
    process.env.PONDER_IT_SERVICE_TOKEN = 'it-secret-7f3a';
    try {
      const probe = 'node -e "console.log(\'hello from the tests\', process.env.PONDER_IT_SERVICE_TOKEN ?? \'no token\', process.env.PATH ? \'path kept\' : \'no path\')"';
      wire().enqueue(toolCallScenario('cmd-ok', 'run_command', { command: probe }), answerScenario('after-run', 'The command printed a greeting.'));
      const sent = wire().chatRequests.length;
      const before = await sendChat('@ponder Run the greeting script');
      const pending = await waitForApproval('run_command');
      await vscode.commands.executeCommand('ponder.resolveToolApproval', { requestId: pending.requestId, callId: pending.callId, allow: true });
      await nextAnswer(before);
      assert.ok(vscode.window.terminals.some((t) => t.name.startsWith('Ponder: node -e')), `terminals: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
      const toolMessage = messagesOf(wire().chatRequests[sent + 1]?.body).find((m) => m.role === 'tool');
      assert.match(toolMessage?.content ?? '', /hello from the tests no token path kept/);
      assert.doesNotMatch(JSON.stringify(wire().chatRequests.map((r) => r.body)), /it-secret-7f3a/);
      assert.match(toolMessage?.content ?? '', /exit code:? 0|exit 0|"exitCode":0/i);
      await ui.screenshot('chat-command-in-terminal');
    } finally {
      delete process.env.PONDER_IT_SERVICE_TOKEN;
    }
  });

  it('stops the request when cancelled, closing the connection to the endpoint', async () => {
    wire().enqueue('stall');
    const sent = wire().chatRequests.length;
    const before = await sendChat('@ponder Think about this for a long time');
    await waitFor(() => wire().chatRequests.length > sent, { message: 'the request to reach the endpoint' });
    await waitFor(async () => ((await vscode.commands.executeCommand<string[]>('ponder._test.runningRequests')) ?? []).length > 0, { message: 'the request to be running' });
    await ui.screenshot('chat-cancel-running');
    assert.equal(await vscode.commands.executeCommand('ponder.cancelRequest'), true);
    const answer = await nextAnswer(before);
    assert.equal(await wire().waitForClientClose(sent, 5000), true, 'the HTTP stream was closed');
    const trace = await traceOf(answer.requestId);
    assert.equal(trace.find((e) => e.type === 'request.end')?.finishReason, 'cancelled');
    assert.match(answer.markdown, /Stopped: the request was cancelled\./);
  });

  it('turns a connection failure into a readable answer with a button that fixes it', async () => {
    const endpoints = vscode.workspace.getConfiguration().get<unknown[]>('ponder.endpoints') ?? [];
    await settings.set('ponder.endpoints', [...endpoints, { id: 'down', label: 'Nothing here', provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', auth: 'none', maxRetries: 0 }]);
    await waitFor(async () => (await vscode.lm.selectChatModels({ vendor: 'ponder' })).some((m) => m.id === 'down'), { message: 'the down profile' });
    await settings.set('ponder.defaultEndpoint', 'down');
    try {
      const before = await sendChat('@ponder hello?');
      const answer = await nextAnswer(before);
      assert.equal(answer.failed, 'connection');
      assert.match(answer.markdown, /127\.0\.0\.1:9/);
      assert.ok(answer.buttons.includes('Select Endpoint') || answer.buttons.some((b) => /endpoint|settings/i.test(b)), `buttons: ${answer.buttons.join(', ')}`);
      await renderedAnswer(/127\.0\.0\.1:9/);
      await ui.screenshot('chat-error-with-fix-button');
    } finally {
      await settings.set('ponder.defaultEndpoint', 'wire');
    }
  });
});
