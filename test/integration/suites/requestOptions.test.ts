import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ponder, resetWorkbench, settings, sleep, ui, waitFor, workspaceRoot } from '../lib';
import { answerScenario, chatResponses, messagesOf, renderedAnswer, sendChat, toolCallScenario, traceOf, wireForSuite } from './chatHelpers';

/**
 * What the field expects around every @ponder request, in the real Chat view: the repository's
 * instruction files, VS Code's tools (vscode.lm.tools), the reasoning effort picked without
 * editing settings, and the context meter with its follow-up warning. Assertions read what the
 * wire fixture endpoint received, and what the Chat view and the sidebar show.
 */
describe('instruction files, VS Code tools, reasoning effort and the context meter', function () {
  this.timeout(120_000);
  before(async () => { await ponder.activate(); });
  const wire = wireForSuite({ recover: true });
  const created: string[] = [];
  const write = (rel: string, text: string) => {
    const abs = path.join(workspaceRoot().fsPath, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    created.push(abs);
  };
  beforeEach(async () => { await resetWorkbench(); });
  // Ponder keeps the last 20 transcripts: find the next answer by its new request id, not by index.
  const seen = async () => new Set((await chatResponses()).map((t) => t.requestId));
  const answerAfter = (before: Set<string>) => waitFor(async () => (await chatResponses()).find((t) => !before.has(t.requestId)), { timeoutMs: 40_000, message: 'the next @ponder answer' });
  const chat = async (query: string) => { const before = await seen(); await sendChat(query); return answerAfter(before); };
  after(() => { for (const f of created) fs.rmSync(f, { force: true }); });

  it('sends AGENTS.md (root and nested), copilot and applyTo instructions after the security rules, and lists them in the sidebar', async () => {
    write('AGENTS.md', 'Root rule: money is integer cents.');
    write('src/AGENTS.md', 'Src rule: every exported function has a unit test.');
    write('.github/copilot-instructions.md', 'Copilot rule: prefer early returns.');
    write('.github/instructions/ts.instructions.md', '---\napplyTo: "src/**/*.ts"\n---\nTS rule: no default exports.');
    write('.github/instructions/py.instructions.md', '---\napplyTo: "**/*.py"\n---\nPython rule: use black.');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'src/cart.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(19, 0, 24, 0);
    wire().enqueue(answerScenario('instr', 'Cart.remove splices the wrong index.'));
    const sent = wire().chatRequests.length;
    const before = await seen();
    await vscode.commands.executeCommand('ponder.explainSelection');
    const answer = await answerAfter(before);
    const system = String(messagesOf(wire().chatRequests[sent].body)[0].content);
    const security = system.indexOf('Security rules');
    for (const rule of ['Root rule', 'Src rule', 'Copilot rule', 'TS rule']) assert.ok(system.indexOf(rule) > security, `${rule} after the security rules:\n${system}`);
    assert.ok(!system.includes('Python rule'), 'applyTo **/*.py does not match src/cart.ts');
    const packed = (await traceOf(answer.requestId)).find((e) => e.type === 'context.packed') as unknown as { items: Array<{ path: string; reason: string; kind?: string; tokens: number }> };
    const listed = packed.items.filter((i) => i.kind === 'instructions').map((i) => i.path);
    assert.deepEqual(listed, ['.github/copilot-instructions.md', '.github/instructions/ts.instructions.md', 'AGENTS.md', 'src/AGENTS.md']);
    await vscode.commands.executeCommand('ponder.showTrace', answer.requestId);
    const shown = await waitFor(async () => {
      const t = await ui.webviewText('ponder.trace');
      return /src\/AGENTS\.md[\s\S]*instructions file/.test(t) ? t : '';
    }, { message: 'the instruction files in the sidebar context' });
    assert.match(shown, /AGENTS\.md/);
    await ui.screenshot('instructions-in-sidebar');

    // A setting turns a source off: the next request does not carry AGENTS.md.
    await settings.set('ponder.instructions.agentsMd', false);
    wire().enqueue(answerScenario('instr-off', 'Without AGENTS.md.'));
    const sent2 = wire().chatRequests.length;
    const before2 = await seen();
    await vscode.commands.executeCommand('ponder.explainSelection');
    await answerAfter(before2);
    const system2 = String(messagesOf(wire().chatRequests[sent2].body)[0].content);
    assert.ok(!system2.includes('Root rule') && !system2.includes('Src rule') && system2.includes('Copilot rule'));
  });

  it('offers the VS Code tools named by ponder.tools.vscodeTools, invokes them through vscode.lm.invokeTool, and records the call in the trace', async () => {
    const calls: unknown[] = [];
    const registration = vscode.lm.registerTool<{ city: string }>('ponderTest_weather', {
      invoke: async (options) => {
        calls.push(options.input);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`Sunny in ${options.input.city}, 21 °C.`)]);
      },
    });
    try {
      await settings.set('ponder.tools.vscodeTools', ['ponderTest_*']);
      wire().enqueue(toolCallScenario('weather', 'ponderTest_weather', { city: 'Lisbon' }), answerScenario('after-weather', 'It is sunny in Lisbon.'));
      const sent = wire().chatRequests.length;
      const answer = await chat('@ponder What is the weather in Lisbon?');
      assert.match(answer.markdown, /sunny in Lisbon/);
      const offered = ((wire().chatRequests[sent].body?.tools ?? []) as Array<{ function: { name: string; parameters: { properties: Record<string, unknown> } } }>);
      const weather = offered.find((t) => t.function.name === 'ponderTest_weather');
      assert.ok(weather, `offered: ${offered.map((t) => t.function.name).join(', ')}`);
      assert.deepEqual(Object.keys(weather.function.parameters.properties), ['city'], 'the tool\'s own schema');
      assert.deepEqual(calls, [{ city: 'Lisbon' }]);
      const toolMessage = messagesOf(wire().chatRequests[sent + 1].body).find((m) => m.role === 'tool');
      assert.equal(toolMessage?.content, 'Sunny in Lisbon, 21 °C.');
      const trace = await traceOf(answer.requestId);
      const result = trace.find((e) => e.type === 'tool.result') as { ok: boolean; summary: string } | undefined;
      assert.ok(trace.some((e) => e.type === 'tool.call' && e.name === 'ponderTest_weather'));
      assert.ok(result?.ok && /Sunny in Lisbon/.test(result.summary));
      await renderedAnswer(/sunny in Lisbon/);
      await ui.screenshot('chat-vscode-tool');

      // Not named by the setting: not offered.
      await settings.set('ponder.tools.vscodeTools', []);
      wire().enqueue(answerScenario('no-tool', 'No tool.'));
      const sent2 = wire().chatRequests.length;
      await chat('@ponder Weather?');
      const names = ((wire().chatRequests[sent2].body?.tools ?? []) as Array<{ function: { name: string } }>).map((t) => t.function.name);
      assert.ok(!names.includes('ponderTest_weather'), names.join(', '));
    } finally {
      registration.dispose();
    }
  });

  it('sends the reasoning effort picked with Ponder: Set Reasoning Effort; it shows in the footer, the trace, the sidebar header and Select Endpoint', async () => {
    const picking = vscode.commands.executeCommand('ponder.selectReasoningEffort');
    await waitFor(async () => /Reasoning Effort/.test(await ui.text('.quick-input-widget')), { message: 'the effort picker' });
    await ui.type('High');
    await sleep(300);
    await ui.press('Enter');
    await picking;
    try {
      wire().enqueue(answerScenario('effort', 'Thought hard.'));
      const sent = wire().chatRequests.length;
      const answer = await chat('@ponder Think hard about 2+2');
      assert.equal(wire().chatRequests[sent].body?.reasoning_effort, 'high');
      assert.match(answer.markdown, /· effort high/);
      const start = (await traceOf(answer.requestId)).find((e) => e.type === 'request.start');
      assert.equal(start?.effort, 'high');
      await vscode.commands.executeCommand('ponder.trace.focus');
      await waitFor(async () => /effort: high/.test(await ui.webviewText('ponder.trace', 'header')), { message: 'effort in the sidebar header' });
      void vscode.commands.executeCommand('ponder.selectEndpoint');
      const picker = await waitFor(async () => { const t = await ui.text('.quick-input-widget'); return /Reasoning effort: high/.test(t) ? t : ''; }, { message: 'the effort item in Select Endpoint' });
      assert.match(picker, /Reasoning effort: high/);
      await ui.screenshot('endpoints-picker-effort');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    } finally {
      await vscode.commands.executeCommand('ponder._test.setEffort', undefined);
    }
  });

  it('shows the context meter in the footer and the sidebar, warns before a follow-up would not fit, and Summarize Earlier Turns shortens the history', async () => {
    await settings.set('ponder.chat.historyTokens', 60);
    const long = 'The cart keeps its lines in an array of { sku, qty, cents } objects; remove() looks the sku up with findIndex and splices that index, so a missing sku (index -1) removes the last line.';
    wire().enqueue(answerScenario('long', long));
    const answer = await chat('@ponder How does the cart store its lines?');
    assert.match(answer.markdown, /Window: [\d,]+ of [\d,]+ tokens \(\d+%\): context [\d,]+ .*instructions [\d,]+ .*question [\d,]+; [\d,]+ kept for the answer/);
    assert.match(answer.markdown, /A follow-up will not fit:.*over the history budget \(60, ponder\.chat\.historyTokens\)/);
    assert.ok(answer.buttons.includes('Summarize Earlier Turns') && answer.buttons.includes('New Chat'), answer.buttons.join(', '));
    await renderedAnswer(/Summarize Earlier Turns/);
    await ui.screenshot('chat-context-meter-warning');
    await vscode.commands.executeCommand('ponder.showTrace', answer.requestId);
    await waitFor(async () => /Window \([\d,]+ of [\d,]+ tokens/.test(await ui.webviewText('ponder.trace')), { message: 'the meter in the sidebar' });
    await ui.webviewScreenshot('ponder.trace', 'sidebar-context-meter');

    await vscode.commands.executeCommand('ponder.summarizeChatHistory');
    wire().enqueue(answerScenario('after-summary', 'Yes, by index.'));
    const sent = wire().chatRequests.length;
    const beforeFollowup = await seen();
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@ponder So remove uses the index?', mode: 'ask' });
    await answerAfter(beforeFollowup);
    const messages = messagesOf(wire().chatRequests[sent].body);
    assert.ok(messages.some((m) => /Summary of 2 earlier turns, shortened at the user's request[\s\S]*How does the cart store its lines\?/.test(m.content ?? '')), JSON.stringify(messages.map((m) => m.content?.slice(0, 80))));
    assert.ok(!messages.some((m) => (m.content ?? '').includes('findIndex and splices')), 'the earlier answer is not sent again');
  });
});
