import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ponder, resetWorkbench, settings, sleep, ui, waitFor } from '../lib';
import { startMetricsServer, type MetricsServer } from '../../fixtures/wire/metrics';

const VIEW = { target: 'ponder.trace', purpose: 'webviewView' as const };

interface EndpointsProbe {
  statusBar: string;
  header?: { id: string; label: string; model: string; health?: { state: string; detail?: string } };
  selected?: string;
  health: Record<string, { state: string; detail: string; saturated: boolean }>;
  polling: { active: boolean; count: number; visible: boolean; windowFocused: boolean; sidebarVisible: boolean };
}

const probe = () => vscode.commands.executeCommand<EndpointsProbe>('ponder._test.endpoints');

/** The status bar entry's text as the workbench renders it. */
const statusBarText = () => ui.workbenchEval<string>(`[...document.querySelectorAll('.statusbar-item')].map((e) => e.innerText).find((t) => t.includes('Team vLLM')) ?? ''`);

describe('Endpoints: health of a self-hosted vLLM in the real workbench', () => {
  let server: MetricsServer;

  before(async () => {
    await ponder.activate();
    server = await startMetricsServer('healthy');
    await settings.set('ponder.health.pollSeconds', 2);
    await settings.set('ponder.endpoints', [
      { id: 'team-vllm', label: 'Team vLLM', provider: 'vllm', baseUrl: server.baseUrl, model: 'qwen3-32b' },
      // Not vLLM: listed in the picker, never polled. example.invalid never resolves.
      { id: 'mai', label: 'MAI-Thinking-1', provider: 'foundry', baseUrl: 'https://example.invalid/openai/v1', model: 'mai-thinking-1' },
    ]);
    await settings.set('ponder.defaultEndpoint', 'team-vllm');
    await settings.set('ponder.routing', [{ when: { command: 'fix' }, endpoint: 'mai' }, { fallback: ['team-vllm', 'mai'] }]);
  });

  after(async () => {
    await settings.restore();
    await server?.close();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('shows the health line in the sidebar header and the status bar while the sidebar is visible', async () => {
    await resetWorkbench();
    await vscode.commands.executeCommand('ponder.trace.focus');
    await waitFor(async () => (await probe()).polling.sidebarVisible, { message: 'the sidebar to report itself visible' });
    const p = await probe();
    console.log(`endpoints: window focused ${p.polling.windowFocused}, sidebar visible ${p.polling.sidebarVisible}, polling ${p.polling.active}`);
    if (!p.polling.windowFocused) {
      // Headless Chromium may not give the page OS focus; then poll once by hand (still only the configured vLLM).
      await vscode.commands.executeCommand('ponder._test.pollHealth');
    }
    await waitFor(async () => (await probe()).health['team-vllm']?.state === 'up', { timeoutMs: 20_000, message: 'team-vllm to read as up' });
    assert.equal(server.control.hits['/health'] !== undefined, true);
    const header = await waitFor(async () => {
      const h = (await probe()).header;
      return h?.health?.detail?.includes('KV 42%') ? h : undefined;
    }, { message: 'the sidebar header to carry the health' });
    assert.equal(header.id, 'team-vllm');
    assert.equal(header.health?.state, 'up');
    const text = await waitFor(async () => {
      const t = await ui.webviewText(VIEW);
      return t.includes('KV 42%') ? t : '';
    }, { timeoutMs: 20_000, message: 'the sidebar webview to show the health line' });
    assert.match(text, /Team vLLM/);
    assert.match(await waitFor(statusBarText, { message: 'the status bar item' }), /Team vLLM/);
    assert.deepEqual(Object.keys((await probe()).health), ['team-vllm'], 'only the configured vLLM profile is polled');
    await ui.screenshot('endpoints-health-up');
  });

  it('warns at the KV-cache threshold and shows the server as degraded', async () => {
    server.control.scenario = 'saturated';
    await vscode.commands.executeCommand('ponder._test.pollHealth');
    await vscode.commands.executeCommand('ponder._test.pollHealth');
    const p = await waitFor(async () => { const x = await probe(); return x.health['team-vllm']?.saturated ? x : undefined; }, { message: 'team-vllm saturated' });
    assert.equal(p.health['team-vllm'].state, 'degraded');
    const notes = await waitFor(async () => {
      const found = (await ui.notifications()).filter((n) => /KV cache at 93%/.test(n.message));
      return found.length ? found : undefined;
    }, { message: 'the KV-cache warning toast' });
    assert.match(notes[0].message, /Team vLLM: KV cache at 93% for 2 checks in a row \(threshold 85%\)/);
    assert.equal(notes[0].severity, 'warning');
    assert.match(notes[0].message, /Requests go to MAI-Thinking-1 \(fallback rule\) while it lasts/);
    // A fallback rule exists, so requests go to MAI-Thinking-1 while the server is saturated; the
    // header and the status bar say so, and why.
    const header = await waitFor(async () => { const h = (await probe()).header; return h?.id === 'mai' ? h : undefined; }, { message: 'the header to show the fallback endpoint' });
    assert.equal(header.health?.state, 'degraded');
    assert.match(header.health?.detail ?? '', /^Team vLLM saturated \(KV 93% · 24 running · \d+ waiting.*\): requests go to MAI-Thinking-1$/);
    const text = await waitFor(async () => { const t = await ui.webviewText(VIEW); return t.includes('requests go to MAI-Thinking-1') ? t : ''; }, { message: 'the switch in the sidebar header' });
    assert.match(text, /MAI-Thinking-1/);
    assert.match(await waitFor(async () => { const t = await ui.workbenchEval<string>(`[...document.querySelectorAll('.statusbar-item')].map((e) => e.innerText).find((t) => t.includes('MAI-Thinking-1')) ?? ''`); return t; }, { message: 'the status bar' }), /Team vLLM saturated/);
    await ui.screenshot('endpoints-health-saturated');
  });

  it('Select Endpoint lists each profile with its health and context window, and the choice is kept', async () => {
    server.control.scenario = 'healthy';
    void vscode.commands.executeCommand('ponder.selectEndpoint');
    const list = await waitFor(async () => {
      const t = await ui.text('.quick-input-widget');
      return t.includes('MAI-Thinking-1') && t.includes('Team vLLM') ? t : '';
    }, { message: 'the endpoint picker' });
    assert.match(list, /Automatic/);
    assert.match(list, /foundry: no request yet \(only self-hosted vLLM servers are polled\)/);
    assert.match(list, /context/);
    await ui.screenshot('endpoints-picker');
    await ui.type('MAI-Thinking');
    await sleep(300);
    await ui.press('Enter');
    await waitFor(async () => (await probe()).selected === 'mai', { message: 'mai to be selected' });
    await waitFor(async () => (await probe()).statusBar.includes('MAI-Thinking-1'), { message: 'the status bar to follow the choice' });
    await vscode.commands.executeCommand('ponder._test.selectEndpoint', undefined);
  });

  it('stops polling when the sidebar is hidden', async () => {
    await vscode.commands.executeCommand('ponder.trace.focus');
    await waitFor(async () => (await probe()).polling.sidebarVisible, { message: 'sidebar visible' });
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await waitFor(async () => { const p = await probe(); return !p.polling.sidebarVisible && !p.polling.active; }, { message: 'polling to stop' });
    const before = { ...server.control.hits };
    await sleep(5000); // more than two intervals of 2 s
    assert.deepEqual(server.control.hits, before, 'no request reached the server while hidden');
  });
});
