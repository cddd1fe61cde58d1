import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BASE_USAGE, chunk, startWireServer, usageChunk, type WireServer } from '../../fixtures/wire';
import { toolCallScenario } from './chatHelpers';
import { config, ponder, resetWorkbench, settings, sleep, ui, waitFor, workspaceRoot } from '../lib';

/** What VS Code answers itself when a request never reaches Ponder's handler. */
const NOT_HANDLED = /No activated agent|Language model unavailable|No default agent/i;

/** The profile in journeys-setup.setup.json points here: the server a user already runs. */
const LAB_PORT = 47613;

/** innerText of the newest response in the Chat view. */
const NEWEST_RESPONSE = `() => {
  const rows = [...document.querySelectorAll('.monaco-list-row')].filter((r) => r.querySelector('.interactive-response') || r.classList.contains('interactive-response'));
  rows.sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
  return rows.length ? rows[rows.length - 1].innerText : '';
}`;

/** The newest Chat view answer once it matches `done` (or shows VS Code's own failure). */
async function chatAnswer(done: RegExp, timeoutMs = 60_000): Promise<string> {
  return waitFor(async () => {
    const text = await ui.workbenchEval<string>(NEWEST_RESPONSE);
    return done.test(text) || NOT_HANDLED.test(text) ? text : '';
  }, { timeoutMs, intervalMs: 300, message: `the Chat view to show ${done}` });
}

/**
 * Journeys a newcomer walks when setting Ponder up, in a window of their own: the first command
 * of a fresh window, adding an endpoint through the UI and answering through it, and a server
 * without /health. Assertions read what the server received.
 */
describe('Journeys: setting up', function () {
  this.timeout(120_000);
  let lab: WireServer;

  before(async () => {
    lab = await startWireServer({ port: LAB_PORT });
  });
  after(async () => {
    await lab?.close();
  });

  it('the first command in a fresh window answers through the configured server', async () => {
    // Nothing of Ponder has run yet: the first thing the user does is Explain Selection from the palette.
    assert.equal(ponder.extension().isActive, false, 'Ponder was activated before the first command');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'src/cart.ts'));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(19, 0, 24, 0);
    await ui.press('F1');
    await sleep(300);
    await ui.type('Ponder: Explain Selection');
    await sleep(600);
    await ui.press('Enter');
    const text = await chatAnswer(/The answer is 4\./);
    await sleep(500);
    await ui.screenshot('journey-first-command');
    assert.doesNotMatch(text, NOT_HANDLED, `the first command did not reach Ponder; the Chat view says:\n${text}`);
    assert.equal(lab.chatRequests.length, 1, `the server got ${lab.chatRequests.length} chat requests`);
    assert.equal(lab.chatRequests[0].body?.model, 'test-model');
    assert.match(text, /The answer is 4\./);
  });

  it('a palette command starts a new chat thread instead of piling into the last one', async () => {
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'cart.ts is still open');
    editor.selection = new vscode.Selection(25, 0, 28, 0);
    await vscode.commands.executeCommand('ponder.explainSelection');
    await waitFor(() => lab.chatRequests.length === 2, { timeoutMs: 30_000, message: 'the second request at the server' });
    await chatAnswer(/The answer is 4\./);
    const requestsShown = await ui.workbenchEval<number>(`() => document.querySelectorAll('.interactive-session .interactive-request').length`);
    assert.equal(requestsShown, 1, 'the Chat view shows only the new command, in a thread of its own');
  });

  it('a server with no /health reads as up after a request worked, and stays up when checked', async () => {
    type Probe = { statusBar: string; header?: { health?: { state: string; detail: string } }; health: Record<string, { state: string; detail: string }> };
    const probe = async () => (await vscode.commands.executeCommand<Probe>('ponder._test.endpoints'))!;
    // The requests above worked: that alone says the server is up.
    const afterRequest = await waitFor(async () => { const p = await probe(); return p.health.lab?.state === 'up' ? p : undefined; }, { message: 'lab up after its requests' });
    assert.match(afterRequest.health.lab.detail, /a request answered at \d\d:\d\d:\d\d/);
    // A check now finds no /health (404) but the models list: still up, and it says how it knows.
    await vscode.commands.executeCommand('ponder._test.pollHealth');
    const checked = await probe();
    assert.equal(checked.health.lab.state, 'up', `lab after a check: ${JSON.stringify(checked.health.lab)}`);
    assert.match(checked.health.lab.detail, /lists its models \(it has no \/health\)/);
    assert.doesNotMatch(checked.statusBar, /\$\(error\)/);
    assert.match(checked.statusBar, /Lab server \$\(pass-filled\)/);
    assert.ok(lab.requests.some((r) => r.path === '/health'), 'the check asked /health first');
    assert.ok(lab.requests.some((r) => r.path === '/v1/models'), 'then the models list');
    await vscode.commands.executeCommand('ponder.trace.focus');
    await waitFor(async () => /lists its models/.test(await ui.webviewText('ponder.trace')), { message: 'the sidebar header to show how the server is known to be up' });
    await sleep(500);
    await ui.screenshot('journey-no-health-server-up');
  });

  /** The quick input's text once it shows `expect` (title, prompt, placeholder, items). */
  async function quickInput(expect: RegExp): Promise<string> {
    return waitFor(async () => {
      // The placeholder is an attribute, not text: read it with the rest.
      const text = await ui.workbenchEval<string>(`() => { const w = document.querySelector('.quick-input-widget'); if (!w || w.style.display === 'none') return ''; const i = w.querySelector('input'); return w.innerText + '\\n' + (i ? i.placeholder : ''); }`);
      return expect.test(text) ? text : '';
    }, { timeoutMs: 20_000, message: `the quick input to show ${expect}` });
  }

  /** Replaces the input's value, as a user selecting it all and typing does. */
  async function typeOver(text: string): Promise<void> {
    await ui.press('Control+A');
    await ui.type(text);
    await sleep(200);
  }

  it('adding an endpoint through the welcome and the guided steps, then answering through it', async () => {
    const foundry = await startWireServer({ apiKey: 'foundry-journey-key' });
    try {
      // A newcomer with no profile: the sidebar welcome offers Add Endpoint.
      await settings.set('ponder.defaultEndpoint', '');
      await settings.set('ponder.endpoints', []);
      await resetWorkbench();
      await vscode.commands.executeCommand('ponder.clearHistory');
      await vscode.commands.executeCommand('ponder.trace.focus');
      await waitFor(async () => (await ui.webviewText('ponder.trace')).includes('Add Endpoint…'), { message: 'the welcome to offer Add Endpoint' });
      await ui.webviewScreenshot('ponder.trace', 'journey-welcome-no-endpoint');
      await ui.webviewClick('ponder.trace', '[data-action="add-endpoint"]');

      // 1: the kind. 2: the portal's endpoint (a loopback stand-in for the resource). 3: the key. 4: the deployment.
      await quickInput(/What kind of endpoint\?/);
      await ui.type('MAI-Thinking-1 on Microsoft Foundry');
      await sleep(300);
      await ui.press('Enter');
      await quickInput(/The Endpoint shown on the deployment's Details tab/);
      await typeOver('https://example.com');
      await quickInput(/"example\.com" is not a Foundry resource host/); // told at once, before Enter
      await typeOver(foundry.origin);
      await ui.press('Enter');
      await quickInput(/API key\. Stored in VS Code's SecretStorage/);
      await ui.type('foundry-journey-key');
      await ui.press('Enter');
      const deployment = await quickInput(/The deployment's Name/);
      assert.doesNotMatch(deployment, /foundry-journey-key/, 'the key is not shown on the next step');
      await typeOver('mai-team-deploy');
      await ui.press('Enter');

      // 5: the connection test, then where to save.
      const report = await quickInput(/The connection works/);
      assert.match(report, /Test request to mai-team-deploy: answered/);
      assert.match(report, /Reasoning: none seen/);
      assert.match(report, /Context window: 262,144 tokens/);
      await ui.screenshot('journey-add-endpoint-tested');
      await ui.type('Save in User settings');
      await sleep(300);
      await ui.press('Enter');

      const written = await waitFor(() => {
        const list = vscode.workspace.getConfiguration().inspect<Array<Record<string, unknown>>>('ponder.endpoints')?.globalValue ?? [];
        return list.find((p) => p.id === 'mai-foundry');
      }, { message: 'the profile in user settings' });
      assert.deepEqual(written, { id: 'mai-foundry', label: 'MAI-Thinking-1 (Foundry, mai-team-deploy)', provider: 'foundry', baseUrl: foundry.origin, model: 'mai-team-deploy', foundryApi: 'mai', auth: 'apiKey' });
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration().inspect('ponder.endpoints')).includes('foundry-journey-key'), 'no key in settings');
      await waitFor(() => vscode.workspace.getConfiguration().inspect('ponder.defaultEndpoint')?.globalValue === 'mai-foundry', { message: 'the first profile to become the default' });

      // The welcome now says where requests go.
      let welcome = '';
      try {
        await waitFor(async () => (welcome = await ui.webviewText('ponder.trace')).includes('Requests go to MAI-Thinking-1 (Foundry, mai-team-deploy)'), { message: 'the welcome to name the new endpoint' });
      } catch (err) {
        const setup = (await vscode.commands.executeCommand<{ setup?: unknown }>('ponder._test.endpoints'))?.setup;
        throw new Error(`${(err as Error).message}\nsetup: ${JSON.stringify(setup)}\nthe sidebar shows:\n${welcome}`, { cause: err });
      }
      await ui.webviewScreenshot('ponder.trace', 'journey-welcome-endpoint-added');

      // The first request goes through it: the MAI route, the deployment as model, the key in api-key.
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'src/cart.ts')));
      editor.selection = new vscode.Selection(19, 0, 24, 0);
      const before = foundry.chatRequests.length;
      await vscode.commands.executeCommand('ponder.explainSelection');
      await waitFor(() => foundry.chatRequests.length > before, { timeoutMs: 40_000, message: 'the request at the Foundry stand-in' });
      const got = foundry.chatRequests[before];
      assert.equal(got.path, '/mai/v1/chat/completions');
      assert.equal(got.body?.model, 'mai-team-deploy');
      assert.equal(got.headers['api-key'], 'foundry-journey-key');
      assert.equal(got.headers.authorization, undefined, 'the key goes only in api-key');
      await chatAnswer(/mai-foundry/);
      await sleep(500);
      await ui.screenshot('journey-add-endpoint-answered');
    } finally {
      const list = vscode.workspace.getConfiguration().inspect<Array<Record<string, unknown>>>('ponder.endpoints')?.globalValue ?? [];
      await settings.restore();
      if (list.some((p) => p.id === 'mai-foundry')) await vscode.commands.executeCommand('ponder.clearApiKey', 'mai-foundry');
      await foundry.close();
    }
  });

  it('Select Endpoint offers Add Endpoint…', async () => {
    void vscode.commands.executeCommand('ponder.selectEndpoint');
    const text = await quickInput(/Add Endpoint…/);
    assert.match(text, /Lab server/);
    await ui.press('Escape');
  });

  it('the README\'s picture: a real request in the sidebar at a readable width', async () => {
    // The lab server with a GPU-hour price, so the cost line shows what the request cost.
    await settings.set('ponder.endpoints', [{ id: 'lab', label: 'Lab vLLM', provider: 'vllm', baseUrl: lab.url, model: 'test-model', auth: 'none', maxRetries: 0, pricing: { perHour: 19.84, concurrency: 8 } }]);
    await settings.set('ponder.defaultEndpoint', 'lab');
    await settings.set('ponder.commands.target', 'sidebar');
    try {
      const answer = [
        'With an unknown sku, `findIndex` returns **-1**, and `splice(-1, 1)` removes the *last* item instead of nothing.\n\n',
        'Guard the index before splicing:\n\n',
        '```ts\nremove(sku: string): void {\n  const index = this.items.findIndex((i) => i.sku === sku);\n  if (index === -1) return;\n  this.items.splice(index, 1);\n}\n```\n\n',
        'A test that removes a missing sku from a two-item cart would have caught it.',
      ];
      lab.enqueue(
        toolCallScenario('hero-read', 'read_file', { path: 'src/cart.ts', ranges: [{ start_line: 11, end_line: 25 }] }, 'The selection is Cart.remove. I should look at how items are stored before answering.'),
        { name: 'hero-answer', steps: [
          { data: chunk({ reasoning: 'findIndex gives -1 for a missing sku. ' }) },
          { data: chunk({ reasoning: 'splice with a negative start counts from the end, so the last item goes. ' }) },
          { data: chunk({ reasoning: 'The fix is an early return when the index is -1.' }) },
          ...answer.map((text) => ({ data: chunk({ content: text }) })),
          { data: chunk({}, 'stop') },
          { data: usageChunk({ ...BASE_USAGE, prompt_tokens: 1843, completion_tokens: 412, total_tokens: 2255, completion_tokens_details: { reasoning_tokens: 268 } }) },
        ] },
      );
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'src/cart.ts')));
      editor.selection = new vscode.Selection(19, 0, 24, 0);
      const requestId = await vscode.commands.executeCommand<string>('ponder.explainSelection');
      assert.ok(requestId, 'the command ran in the sidebar');
      await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
      await vscode.commands.executeCommand('ponder.trace.focus');
      await waitFor(async () => /A test that removes a missing sku/.test(await ui.webviewText('ponder.trace')), { message: 'the answer in the sidebar' });
      // A sidebar as wide as people use it (the default is narrow in a 1400 px window).
      const sidebarWidth = () => ui.workbenchEval<number>(() => document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0);
      // The view's focus is inside its webview, so the workbench resizes the editor: shrink it.
      for (let i = 0; i < 16 && (await sidebarWidth()) < 520; i++) {
        await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
        await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
      }
      const width = await sidebarWidth();
      console.log(`      sidebar width for the README picture: ${Math.round(width)} px`);
      assert.ok(width >= 420, `the sidebar is readable: ${width} px wide`);
      await vscode.commands.executeCommand('notifications.clearAll');
      await sleep(800);
      const file = await ui.screenshot('readme-hero-sidebar');
      fs.copyFileSync(file, path.join(config().repoRoot, 'media', 'sidebar-request.png'));
    } finally {
      await settings.restore();
    }
  });
});
