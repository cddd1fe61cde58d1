import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TOOL_STEPS } from '../../fixtures/wire';
import { ponder, ui, waitFor } from '../lib';
import { wireForSuite } from './chatHelpers';

/**
 * Ponder's endpoint profiles as VS Code language models (vendor "ponder"): what makes any chat
 * request work on a machine with no other AI extension, and lets other features use them.
 */
describe("Ponder's models in VS Code's model picker", function () {
  this.timeout(60_000);

  before(async () => {
    await ponder.activate();
  });
  const wire = wireForSuite();

  it('lists each profile with its context window, output limit and tool support, plus "Ponder (auto)"', async () => {
    const models = await vscode.lm.selectChatModels({ vendor: 'ponder' });
    const wireModel = models.find((m) => m.id === 'wire');
    assert.ok(wireModel, `models: ${models.map((m) => m.id).join(', ')}`);
    assert.equal(wireModel.name, 'Wire fixture');
    assert.equal(wireModel.family, 'test-model');
    assert.equal(wireModel.maxInputTokens, 32768 - 4096);
    assert.ok(models.some((m) => m.id === 'auto' && m.name === 'Ponder (auto)'));
    // The Chat view's picker shows one of Ponder's models.
    await vscode.commands.executeCommand('workbench.action.chat.open');
    const picker = await waitFor(() => ui.workbenchEval<string>(`[...document.querySelectorAll('.chat-input-toolbars .action-label, .chat-modelPicker-item, .chat-input-picker-item')].map((e) => e.innerText).join(' | ')`), { message: 'the chat input toolbar' });
    assert.match(picker, /Ponder \(auto\)|Wire fixture/);
    // Open the picker: the user sees every Ponder profile listed.
    await vscode.commands.executeCommand('workbench.action.chat.openModelPicker');
    const listed = await waitFor(async () => {
      const text = await ui.workbenchEval<string>(`() => [...document.querySelectorAll('.action-widget, .chat-model-picker-widget, .chat-model-picker-dropdown, .quick-input-widget')].map((e) => e.innerText).join(' | ')`);
      return /Ponder \(auto\)/.test(text) ? text : '';
    }, { message: 'the model picker to list Ponder (auto)' });
    // "Ponder (auto)" names the endpoint it routes to now; the profiles themselves sit under "Other Models".
    assert.match(listed, /Ponder \(auto\)[\s\S]*now: Wire fixture/);
    await ui.screenshot('chat-model-picker');
    await ui.press('Escape');
  });

  it('streams text through vscode.lm and counts tokens with o200k_base', async () => {
    const [model] = await vscode.lm.selectChatModels({ vendor: 'ponder', id: 'wire' });
    wire().enqueue('vllm');
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('What is 2+2?')], {}, new vscode.CancellationTokenSource().token);
    let text = '';
    for await (const part of response.text) text += part;
    assert.equal(text, 'The answer is 4.');
    assert.equal(await model.countTokens('hello world'), 2);
  });

  it('sends the reasoning effort another extension asks for in modelOptions, and none when it asks for none', async () => {
    const [model] = await vscode.lm.selectChatModels({ vendor: 'ponder', id: 'wire' });
    const send = async (modelOptions: Record<string, unknown> | undefined) => {
      wire().enqueue('vllm');
      const sent = wire().chatRequests.length;
      const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('What is 2+2?')], modelOptions ? { modelOptions } : {}, new vscode.CancellationTokenSource().token);
      let text = '';
      for await (const part of response.text) text += part;
      assert.equal(text, 'The answer is 4.');
      return wire().chatRequests[sent].body ?? {};
    };
    assert.equal((await send({ reasoningEffort: 'high' })).reasoning_effort, 'high');
    assert.equal((await send({ reasoning_effort: 'low' })).reasoning_effort, 'low');
    assert.equal('reasoning_effort' in (await send(undefined)), false, 'no effort asked, none sent');
    assert.equal('reasoning_effort' in (await send({ reasoningEffort: 'extreme' })), false, 'not an effort: ignored');
  });

  it('returns tool calls as LanguageModelToolCallPart', async () => {
    const [model] = await vscode.lm.selectChatModels({ vendor: 'ponder', id: 'wire' });
    wire().enqueue({ name: 'two-tools', steps: TOOL_STEPS });
    const sent = wire().chatRequests.length;
    const tools: vscode.LanguageModelChatTool[] = [
      { name: 'read_file', description: 'read a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } },
      { name: 'search', description: 'search', inputSchema: { type: 'object', properties: { query: { type: 'string' } } } },
    ];
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Look at the config')], { tools }, new vscode.CancellationTokenSource().token);
    const calls: vscode.LanguageModelToolCallPart[] = [];
    for await (const part of response.stream) if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
    assert.deepEqual(calls.map((c) => [c.callId, c.name, c.input]), [['call_a', 'read_file', { path: 'src/a.ts' }], ['call_b', 'search', { query: 'parseConfig' }]]);
    const body = wire().chatRequests[sent].body as { tools?: Array<{ function: { name: string } }> };
    assert.deepEqual(body.tools?.map((t) => t.function.name), ['read_file', 'search']);
  });
});
