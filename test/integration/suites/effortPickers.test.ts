import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ponder, resetWorkbench, settings, sleep, ui, waitFor } from '../lib';
import { answerScenario, chatResponses, sendChat, useWireEndpoint, wireForSuite } from './chatHelpers';

/**
 * The reasoning effort picked where a user looks for it, in the real workbench: the sidebar
 * header's effort button and Select Endpoint's "Reasoning effort" item (the command itself is in
 * requestOptions.test.ts). An endpoint without an effort control (MAI-Thinking-1 on Foundry) is
 * offered none. Assertions read what the wire fixture endpoint received.
 */
describe('reasoning effort from the sidebar header and Select Endpoint', function () {
  this.timeout(120_000);
  before(async () => { await ponder.activate(); });
  const wire = wireForSuite({ recover: true });
  beforeEach(async () => { await resetWorkbench(); });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('ponder._test.setEffort', undefined);
  });
  const quickInput = (expect: RegExp) => waitFor(async () => { const t = await ui.text('.quick-input-widget'); return expect.test(t) ? t : ''; }, { message: `the quick pick showing ${expect}` });
  const choose = async (label: string) => { await ui.type(label); await sleep(300); await ui.press('Enter'); };
  const effortSent = async () => {
    wire().enqueue(answerScenario('effort-pick', 'Done.'));
    const sent = wire().chatRequests.length;
    const before = new Set((await chatResponses()).map((t) => t.requestId));
    await sendChat('@ponder Think about 2+2');
    await waitFor(async () => (await chatResponses()).find((t) => !before.has(t.requestId)), { timeoutMs: 40_000, message: 'the @ponder answer' });
    return wire().chatRequests[sent].body?.reasoning_effort;
  };

  it('the effort button in the sidebar header opens the picker; the pick is sent and shown on the button', async () => {
    await vscode.commands.executeCommand('ponder.trace.focus');
    await waitFor(async () => /effort: default/.test(await ui.webviewText('ponder.trace', 'header')), { message: 'the effort button in the sidebar header' });
    await ui.webviewClick('ponder.trace', 'button.effort');
    await quickInput(/Reasoning Effort[\s\S]*Low[\s\S]*Medium[\s\S]*High/);
    await choose('Low');
    await waitFor(async () => /effort: low/.test(await ui.webviewText('ponder.trace', 'header')), { message: 'effort: low on the button' });
    assert.equal(await effortSent(), 'low');
  });

  it('Select Endpoint\'s "Reasoning effort" item opens the picker; the pick is sent', async () => {
    void vscode.commands.executeCommand('ponder.selectEndpoint');
    await quickInput(/Reasoning effort: default/);
    await choose('Reasoning effort');
    await quickInput(/Ponder: Reasoning Effort/);
    await choose('Medium');
    await vscode.commands.executeCommand('ponder.trace.focus');
    await waitFor(async () => /effort: medium/.test(await ui.webviewText('ponder.trace', 'header')), { message: 'effort: medium in the sidebar header' });
    assert.equal(await effortSent(), 'medium');
  });

  it('an endpoint without an effort control (MAI-Thinking-1 on Foundry) is offered none: no header button, no Select Endpoint item, the command says why', async () => {
    await settings.set('ponder.endpoints', [{ id: 'mai', label: 'MAI on Foundry', provider: 'foundry', baseUrl: wire().origin, model: 'mai-prod', auth: 'none', maxRetries: 0 }]);
    await settings.set('ponder.defaultEndpoint', 'mai');
    try {
      await vscode.commands.executeCommand('ponder.trace.focus');
      await waitFor(async () => { const h = await ui.webviewText('ponder.trace', 'header'); return /MAI on Foundry/.test(h) && !/effort/.test(h); }, { message: 'the header for MAI without an effort button' });
      void vscode.commands.executeCommand('ponder.selectEndpoint');
      const picker = await quickInput(/MAI on Foundry/);
      assert.ok(!/Reasoning effort/.test(picker), picker);
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      void vscode.commands.executeCommand('ponder.selectReasoningEffort');
      const told = await waitFor(async () => (await ui.notifications()).find((n) => /takes no reasoning-effort setting/.test(n.message)), { message: 'the notice that MAI takes no effort' });
      assert.match(told.message, /MAI on Foundry \(mai-prod\) takes no reasoning-effort setting, so none is sent to it/);
    } finally {
      await useWireEndpoint(wire().url);
    }
  });
});
