import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { logs, ponder, resetWorkbench, settings, ui, waitFor } from '../lib';
import { MAI_SECRET_MARK, startWireServer, type RecordedRequest, type WireServer } from '../../fixtures/wire';
import { messagesOf, nextAnswer, renderedAnswer, sendChat, stopLeftovers, traceOf } from './chatHelpers';
import { VIEW } from './sidebarEvents';

interface Api { services: { context: vscode.ExtensionContext } }

const KEY = 'foundry-key-integration-0123456789';
/** The reasoning objects a response streamed back, exactly as sent. */
function streamedReasoning(rec: RecordedRequest): unknown[] {
  return (rec.response ?? '').split('\n').filter((l) => l.startsWith('data: {'))
    .map((l) => (JSON.parse(l.slice(6)) as { choices?: { delta?: { reasoning?: unknown } }[] }).choices?.[0]?.delta?.reasoning)
    .filter((r) => r !== null && r !== undefined);
}

/**
 * MAI-Thinking-1 on Microsoft Foundry in the real VS Code: a profile written as the README says
 * (the portal's endpoint and a deployment name), the key in SecretStorage, and the wire server
 * speaking the MAI dialect on /mai/v1 as Microsoft documents it.
 */
describe('MAI-Thinking-1 on Foundry in the real VS Code', function () {
  this.timeout(120_000);
  let wire: WireServer;
  let secrets: vscode.SecretStorage;

  before(async () => {
    secrets = (await ponder.activate<Api>()).services.context.secrets;
    wire = await startWireServer({ apiKey: KEY });
    await secrets.store('ponder.apiKey.mai', KEY);
    await settings.set('ponder.endpoints', [{ id: 'mai', label: 'MAI-Thinking-1 (Foundry)', provider: 'foundry', baseUrl: wire.origin, model: 'mai-prod', auth: 'apiKey', maxRetries: 0 }]);
    await settings.set('ponder.defaultEndpoint', 'mai');
    await waitFor(async () => (await vscode.lm.selectChatModels({ vendor: 'ponder' })).some((m) => m.id === 'mai'), { message: 'the MAI profile in the model picker' });
  });
  after(async () => {
    await secrets.delete('ponder.apiKey.mai');
    await settings.restore();
    await wire.close();
  });
  beforeEach(async () => { await resetWorkbench(); });
  afterEach(async () => { await stopLeftovers(); });

  it('@ponder answers from /mai/v1; the chat and the sidebar say reasoning is private; the follow-up carries the encrypted reasoning back', async () => {
    const sent = wire.chatRequests.length;
    const before = await sendChat('@ponder What is 2+2?');
    const answer = await nextAnswer(before);
    assert.match(answer.markdown, /MAI on Foundry answers: 4\./);
    const thought = /_Reasoning is private on this endpoint: thought for (\d+ ms|\d+(?:\.\d)? s) · 64 reasoning tokens\._/.exec(answer.markdown)?.[1];
    assert.ok(thought, answer.markdown);
    assert.ok(answer.markdown.indexOf('answers: 4.') < answer.markdown.indexOf('Reasoning is private'), 'the answer reads first');
    assert.ok(answer.progress.includes('Thinking… (reasoning is private on this endpoint: only the answer will arrive)'), answer.progress.join(' | '));
    const first = wire.chatRequests[sent];
    assert.equal(first.path, '/mai/v1/chat/completions');
    assert.equal(first.body!.model, 'mai-prod');
    assert.equal(first.headers['api-key'], KEY);
    assert.equal(first.body!.reasoning_display, 'encrypted', 'a chat continues: the encrypted reasoning is asked for');
    for (const k of Object.keys(first.body!)) assert.ok(['model', 'messages', 'max_completion_tokens', 'tools', 'stream', 'reasoning_display'].includes(k), `undocumented parameter ${k}`);
    const shown = await renderedAnswer(/Reasoning is private on this endpoint/);
    assert.match(shown, /MAI on Foundry answers: 4\./);
    await ui.screenshot('mai-chat-private-reasoning');

    // The sidebar: the Reasoning section says it is private, with thinking time and reasoning tokens.
    await vscode.commands.executeCommand('ponder.showTrace', answer.requestId);
    const side = await waitFor(async () => { const t = await ui.webviewText(VIEW); return /Reasoning is private on this endpoint/.test(t) && /64 reasoning tokens/.test(t) ? t : ''; }, { message: 'the sidebar\'s private-reasoning line' });
    assert.ok(side.includes(`thought for ${thought}`), `the sidebar says the chat's time (thought for ${thought})`);
    await ui.webviewScreenshot(VIEW, 'mai-sidebar-private-reasoning');
    await ui.screenshot('mai-sidebar-private-reasoning-window');

    // A follow-up in the same chat sends the earlier answer back with its encrypted reasoning, unchanged.
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@ponder And times 3?', mode: 'ask' });
    await nextAnswer(before + 1);
    const second = wire.chatRequests[sent + 1];
    const assistant = (second.body!.messages as Record<string, unknown>[]).find((m) => m.role === 'assistant');
    assert.equal(assistant?.content, 'MAI on Foundry answers: 4.');
    assert.deepEqual(assistant?.reasoning, streamedReasoning(first)[0]);
    assert.ok(messagesOf(second.body).some((m) => m.role === 'user' && m.content === 'What is 2+2?'));

    // Never shown, logged or in the trace.
    assert.equal(answer.markdown.includes(MAI_SECRET_MARK), false);
    assert.equal(JSON.stringify(await traceOf(answer.requestId)).includes(MAI_SECRET_MARK), false);
    assert.equal(side.includes(MAI_SECRET_MARK), false);
    assert.equal(logs.read().includes(MAI_SECRET_MARK), false);
  });

  it('through vscode.lm: the encrypted reasoning comes back as a data part and goes out again on the assistant message', async () => {
    const [model] = await vscode.lm.selectChatModels({ vendor: 'ponder', id: 'mai' });
    const sent = wire.chatRequests.length;
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('What is 2+2?')], {}, new vscode.CancellationTokenSource().token);
    const parts: unknown[] = [];
    for await (const part of response.stream) parts.push(part);
    const text = parts.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart).map((p) => p.value).join('');
    assert.equal(text, 'MAI on Foundry answers: 4.');
    const data = parts.filter((p) => (p as { mimeType?: string }).mimeType === 'application/vnd.ponder.reasoning-state+json');
    assert.equal(data.length, 1, `parts: ${parts.map((p) => (p as object).constructor.name).join(', ')}`);
    // The caller hands the assistant message back as it got it, data part included.
    const assistant = vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelTextPart(text), data[0] as vscode.LanguageModelTextPart]);
    const again = await model.sendRequest([vscode.LanguageModelChatMessage.User('What is 2+2?'), assistant, vscode.LanguageModelChatMessage.User('And times 3?')], {}, new vscode.CancellationTokenSource().token);
    for await (const _ of again.text) { /* drain */ }
    const back = (wire.chatRequests[sent + 1].body!.messages as Record<string, unknown>[]).find((m) => m.role === 'assistant');
    assert.deepEqual(back?.reasoning, streamedReasoning(wire.chatRequests[sent])[0]);
  });
});
