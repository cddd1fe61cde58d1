import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { logs, ponder, resetWorkbench, sleep, ui, waitFor } from '../lib';
import { feed, newRequestId, reasoning, start, VIEW } from './sidebarEvents';

const viewText = () => ui.webviewText(VIEW);
const textContaining = (needle: string | RegExp, message: string) =>
  waitFor(async () => { const t = await viewText(); return (typeof needle === 'string' ? t.includes(needle) : needle.test(t)) ? t : ''; }, { timeoutMs: 20_000, message });

describe('Ponder sidebar: the request trace in the real workbench', () => {
  let id = '';
  const t0 = Date.now();

  before(async () => {
    await ponder.activate();
    await resetWorkbench();
    await vscode.commands.executeCommand('ponder.clearHistory');
    await vscode.commands.executeCommand('ponder.trace.focus');
  });

  it('shows a first-time user what Ponder is and the guided way to connect an endpoint', async () => {
    const text = await textContaining('Add an endpoint', 'the empty state');
    assert.match(text, /keeps the key in the OS keychain, never in settings/);
    const buttons = await ui.webviewEval<string[]>(VIEW, () => [...document.querySelectorAll('button')].map((b) => b.textContent?.trim() ?? ''));
    assert.ok(buttons.some((b) => /Add Endpoint…/.test(b)), `buttons: ${buttons.join(', ')}`);
    await ui.webviewClick(VIEW, '[data-action="open-settings"]');
    await waitFor(() => ui.workbenchEval<boolean>(() => !!document.querySelector('.settings-editor')), { message: 'the Settings editor to open' });
    await resetWorkbench();
  });

  it('streams a request: context, reasoning, a tool call waiting for approval with Allow/Deny buttons', async () => {
    id = newRequestId('stream');
    await feed(start(id, t0));
    await feed(reasoning(id, t0 + 10, 400));
    await feed([{ type: 'tool.call', requestId: id, t: t0 + 500, id: 'call-1', name: 'run_command', arguments: '{"command":"npm test","cwd":"."}' },
      { type: 'tool.approval', requestId: id, t: t0 + 501, id: 'call-1', state: 'asked', detail: 'Ponder wants to run: npm test' }]);
    const text = await textContaining('waiting for approval', 'the tool call waiting for approval');
    assert.match(text, /Reasoning/);
    assert.match(text, /rounded/);
    assert.match(text, /run_command/);
    assert.match(text, /src\/pricing\.ts/);
    assert.match(text, /imports pricing\.ts/);
    const args = await ui.webviewEval<string>(VIEW, () => document.querySelector('.tool-args pre')?.textContent ?? '');
    assert.equal(args, '{\n  "command": "npm test",\n  "cwd": "."\n}', 'arguments as pretty JSON');
    const shown = await ui.webviewEval<number>(VIEW, () => document.querySelectorAll('button[data-action="allow"], button[data-action="deny"], button[data-action="allow-session"]').length);
    assert.equal(shown, 3);
  });

  it('Allow in the webview calls ponder.resolveToolApproval with this request and call', async () => {
    await ui.webviewClick(VIEW, 'button[data-action="allow"]');
    // Injected events have no pending approval in the chat part: it logs the call it got.
    await logs.waitFor(`approval call-1 of ${id} was already answered`);
  });

  it('shows the result, answer, usage, cost and retries once the request finishes', async () => {
    await feed([
      { type: 'tool.approval', requestId: id, t: t0 + 600, id: 'call-1', state: 'granted', by: 'user' },
      { type: 'tool.result', requestId: id, t: t0 + 900, id: 'call-1', ok: true, summary: '12 tests **passed**', ms: 300 },
      { type: 'retry', requestId: id, t: t0 + 950, attempt: 1, delayMs: 1000, cause: '429 rate limit' },
      { type: 'content.delta', requestId: id, t: t0 + 1000, text: 'It rounds in `applyDiscount` and again in `format`.' },
      { type: 'usage', requestId: id, t: t0 + 1100, usage: { prompt: 2300, cached: 1024, completion: 410, reasoning: 256, cacheWrite: 0 } },
      { type: 'cost', requestId: id, t: t0 + 1101, amount: 0.0042, currency: 'USD', source: 'price-table', breakdown: { prompt: 0.0011, completion: 0.0031 } },
      { type: 'request.end', requestId: id, t: t0 + 1200, finishReason: 'stop', ms: 1200, firstTokenMs: 80 },
    ]);
    const text = await textContaining('allowed by you', 'the tool call allowed');
    assert.match(text, /12 tests passed/);
    assert.match(text, /It rounds in applyDiscount/);
    assert.match(text, /2,300/);
    assert.match(text, /1,024/);
    assert.match(text, /\$0\.0042/);
    assert.match(text, /from the price table/);
    assert.match(text, /429 rate limit/);
    assert.match(text, /thought for/);
    const status = await ui.webviewEval<string>(VIEW, () => document.querySelector('.detail')?.getAttribute('data-status') ?? '');
    assert.equal(status, 'done');
    await ui.webviewScreenshot(VIEW, 'sidebar-request-done');
  });

  it('clicking a context item opens the file at its range', async () => {
    await ui.webviewClick(VIEW, 'button[data-action="open-file"]');
    const editor = await waitFor(() => vscode.window.activeTextEditor?.document.uri.path.endsWith('src/pricing.ts') && vscode.window.activeTextEditor, { message: 'pricing.ts to open' });
    assert.equal(editor.selection.start.line, 2, 'selection starts at line 3 (1-based)');
    assert.equal(editor.selection.end.line, 5, 'and ends on line 6');
    await resetWorkbench();
  });

  it('copies the answer and exports the trace as scrubbed JSONL', async () => {
    await ui.webviewClick(VIEW, 'button[data-action="copy-answer"]');
    // Reading the clipboard back hangs in headless Chromium; the status bar confirms the copy.
    await waitFor(() => ui.workbenchEval<boolean>(() => [...document.querySelectorAll('.statusbar-item')].some((e) => (e as HTMLElement).innerText.includes('answer copied'))), { timeoutMs: 10_000, message: 'the "answer copied" status message' });
    const file = path.join(os.tmpdir(), `${id}.jsonl`);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('ponder.exportTrace', id, file);
    assert.equal(uri?.fsPath, file);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines[0].type, 'request.start');
    assert.ok(lines.some((e) => e.type === 'tool.result' && e.summary === '12 tests **passed**'));
    fs.rmSync(file);
    // A request whose text echoed a key (a tool printing its environment): the export scrubs it.
    const leaky = newRequestId('leaky');
    await feed([...start(leaky, Date.now() - 60_000, 'env'), { type: 'tool.result', requestId: leaky, t: Date.now() - 59_000, id: 'x', ok: true, ms: 1, summary: 'Authorization: Bearer sk-or-v1-0123456789abcdefghijklmnop' },
      { type: 'request.end', requestId: leaky, t: Date.now() - 59_000, finishReason: 'stop', ms: 10 }]);
    const leakyFile = path.join(os.tmpdir(), `${leaky}.jsonl`);
    await vscode.commands.executeCommand('ponder.exportTrace', leaky, leakyFile);
    const exported = fs.readFileSync(leakyFile, 'utf8');
    assert.ok(exported.includes('tool.result') && !exported.includes('sk-or-v1-0123456789'), 'the key is scrubbed');
    fs.rmSync(leakyFile);
    await vscode.commands.executeCommand('ponder.showTrace', id);
  });

  it('keeps the trace when the view is hidden and shown, and when its webview reloads', async () => {
    // textContent, not innerText: off-screen blocks (content-visibility: auto) count too.
    const reasoningText = () => ui.webviewEval<string>(VIEW, () => document.querySelector('.reasoning-body')?.textContent ?? '');
    const before = await waitFor(async () => { const t = await reasoningText(); return /rounded/.test(t) ? t : ''; }, { message: 'the reasoning of the request' });
    // A mark on the page tells a fresh page (rebuilt from the host's snapshot) from the old one.
    const mark = () => ui.webviewEval(VIEW, () => { (window as unknown as { __mark?: number }).__mark = 1; });
    const freshPageShows = (what: string) => waitFor(async () => {
      const page = await ui.webviewEval<{ mark: unknown; reasoning: string; text: string }>(VIEW, () => ({
        mark: (window as unknown as { __mark?: number }).__mark ?? null,
        reasoning: document.querySelector('.reasoning-body')?.textContent ?? '',
        text: document.body.innerText,
      }));
      return page.mark === null && page.text.includes('It rounds in applyDiscount') ? page : undefined;
    }, { timeoutMs: 20_000, message: what });

    await mark();
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await sleep(500);
    await vscode.commands.executeCommand('ponder.trace.focus');
    const shown = await freshPageShows('a fresh page with the answer after hide/show');
    assert.equal(shown.reasoning, before, 'the same reasoning after hide/show, not doubled or cut');

    await mark();
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    const reloaded = await freshPageShows('a fresh page with the answer after reloading the webview');
    assert.match(reloaded.text, /allowed by you/);
    assert.match(reloaded.text, /\$0\.0042/);
    assert.equal(reloaded.reasoning, before, 'the same reasoning after the reload, not doubled or cut');
  });

  it('lists requests newest first and shows the one the user selects; errors offer their fix', async () => {
    const id2 = newRequestId('error');
    await feed([
      ...start(id2, Date.now(), 'A request that fails'),
      { type: 'error', requestId: id2, t: Date.now(), kind: 'auth', status: 401, message: 'team-vllm refused the key (401).', action: 'Check the key for team-vllm.', fix: { title: 'Open Ponder Settings', command: 'workbench.action.openSettings', args: ['ponder.endpoints'] } },
      { type: 'request.end', requestId: id2, t: Date.now(), finishReason: 'error', ms: 30 },
    ]);
    const text = await textContaining('refused the key', 'the error of the new request');
    assert.match(text, /Check the key for team-vllm/);
    const order = await ui.webviewEval<string[]>(VIEW, () => [...document.querySelectorAll('[role="option"]')].map((o) => o.getAttribute('data-request-id') ?? ''));
    assert.equal(order[0], id2);
    assert.ok(order.indexOf(id) > 0, 'the older request is listed below');
    await ui.webviewClick(VIEW, 'button[data-action="fix"]');
    await waitFor(() => ui.workbenchEval<boolean>(() => !!document.querySelector('.settings-editor')), { message: 'the fix to open Settings' });
    await resetWorkbench();
    await vscode.commands.executeCommand('ponder.trace.focus');
    // Keyboard: the list is a listbox; arrow down selects the older request.
    await ui.webviewEval(VIEW, () => (document.querySelector('[role="listbox"]') as HTMLElement).focus());
    await ui.press('ArrowDown');
    await textContaining('It rounds in applyDiscount', 'the older request after ArrowDown');
    await ui.press('ArrowUp');
    await textContaining('refused the key', 'the newer request after ArrowUp');
    await ui.press('ArrowDown');
    await textContaining('It rounds in applyDiscount', 'the older request after ArrowDown');
    const selected = await ui.webviewEval<string>(VIEW, () => document.querySelector('[aria-selected="true"]')?.getAttribute('data-request-id') ?? '');
    assert.equal(selected, id);
  });

  it('screenshots in light, dark and high-contrast themes', async () => {
    await vscode.commands.executeCommand('ponder.showTrace', id);
    // A sidebar as wide as people use it, not the narrow default of a 1400 px window.
    // Widen the side bar (the focused part) for the screenshots.
    await vscode.commands.executeCommand('ponder.trace.focus');
    for (let i = 0; i < 5; i++) {
      await vscode.commands.executeCommand('workbench.action.increaseViewWidth');
      await vscode.commands.executeCommand('workbench.action.increaseViewSize');
    }
    await textContaining('It rounds in applyDiscount', 'the request detail');
    for (const [theme, name] of [['Default Light Modern', 'sidebar-light'], ['Default High Contrast', 'sidebar-high-contrast'], ['Default Dark Modern', 'sidebar-dark']] as const) {
      await ui.setTheme(theme);
      await sleep(500);
      const file = await ui.webviewScreenshot(VIEW, name);
      assert.ok(fs.statSync(file).size > 5000, `${name}.png is a real image`);
      await ui.screenshot(`${name}-window`);
    }
  });

  it('clear history empties the list and the stored history', async () => {
    await vscode.commands.executeCommand('ponder.clearHistory');
    await textContaining('Add an endpoint', 'the empty state after clearing');
  });
});
