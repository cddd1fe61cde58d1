import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ponder, resetWorkbench, settings, ui, waitFor } from '../lib';
import { answerScenario, chatResponses, messagesOf, renderedAnswer, sendChat, toolCallScenario, traceOf, wireForSuite } from './chatHelpers';

/**
 * Another extension's tool (the test harness declares `ponderTest_weather` in its package.json,
 * referenceable as `#weather`) as the user reaches it from the real Chat view: named with `#` in
 * the question, it is offered for that request even when ponder.tools.vscodeTools names none,
 * and Ponder invokes it with the request's toolInvocationToken.
 */
describe('VS Code tools the user names in the Chat view', function () {
  this.timeout(120_000);
  before(async () => { await ponder.activate(); });
  const wire = wireForSuite({ recover: true });
  beforeEach(async () => { await resetWorkbench(); });
  afterEach(() => settings.restore());
  const seen = async () => new Set((await chatResponses()).map((t) => t.requestId));
  const answerAfter = (before: Set<string>) => waitFor(async () => (await chatResponses()).find((t) => !before.has(t.requestId)), { timeoutMs: 40_000, message: 'the next @ponder answer' });

  it('#weather offers the tool for that request although the setting names none, and invokes it with the request\'s toolInvocationToken', async () => {
    const calls: Array<{ input: unknown; token: boolean }> = [];
    const registration = vscode.lm.registerTool<{ city: string }>('ponderTest_weather', {
      invoke: async (options) => {
        calls.push({ input: options.input, token: options.toolInvocationToken !== undefined });
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(`Rain in ${options.input.city}, 12 °C.`)]);
      },
    });
    try {
      await settings.set('ponder.tools.vscodeTools', []);
      wire().enqueue(toolCallScenario('ref-weather', 'ponderTest_weather', { city: 'Porto' }), answerScenario('after-ref', 'It rains in Porto.'));
      const sent = wire().chatRequests.length;
      const before = await seen();
      await sendChat('@ponder #weather What is the weather in Porto?');
      const answer = await answerAfter(before);
      const names = ((wire().chatRequests[sent].body?.tools ?? []) as Array<{ function: { name: string } }>).map((t) => t.function.name);
      assert.ok(names.includes('ponderTest_weather'), `offered: ${names.join(', ')}`);
      assert.deepEqual(calls, [{ input: { city: 'Porto' }, token: true }]);
      assert.equal(messagesOf(wire().chatRequests[sent + 1].body).find((m) => m.role === 'tool')?.content, 'Rain in Porto, 12 °C.');
      assert.ok((await traceOf(answer.requestId)).some((e) => e.type === 'tool.result' && e.ok === true));
      await renderedAnswer(/rains in Porto/);
      await ui.screenshot('chat-tool-reference');

      // The next request without #weather: not offered.
      wire().enqueue(answerScenario('no-ref', 'No tool.'));
      const sent2 = wire().chatRequests.length;
      const before2 = await seen();
      await sendChat('@ponder What is the weather in Porto?');
      await answerAfter(before2);
      const names2 = ((wire().chatRequests[sent2].body?.tools ?? []) as Array<{ function: { name: string } }>).map((t) => t.function.name);
      assert.ok(!names2.includes('ponderTest_weather'), names2.join(', '));
    } finally {
      registration.dispose();
    }
  });
});
