import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { ponder, sleep, ui, waitFor } from '../lib';
import { feed, newRequestId, start, VIEW } from './sidebarEvents';

/**
 * Model text is untrusted. A "remote host" (a local server standing in for one) counts every
 * request it gets: rendering the answer below must not reach it, and no payload may run.
 */
describe('Ponder sidebar: model text full of XSS payloads renders as text', () => {
  let server: http.Server;
  let hits: string[] = [];
  let origin = '';

  before(async () => {
    await ponder.activate();
    server = http.createServer((req, res) => { hits.push(req.url ?? ''); res.writeHead(200, { 'content-type': 'image/png' }).end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((r) => server.close(() => r())));

  it('runs no script, event handler or javascript: link and loads nothing from the remote host', async () => {
    hits = [];
    const payloads = [
      `<img src=x onerror="window.__ponderXss='img'">`,
      `<img src="${origin}/raw-img.png">`,
      `<script>window.__ponderXss='script'</script>`,
      `[click me](javascript:window.__ponderXss='link')`,
      `<a href="javascript:window.__ponderXss='a'">raw link</a>`,
      `<svg onload="window.__ponderXss='svg'"><circle r="5"/></svg>`,
      `<div style="background:url(${origin}/css-bg.png)">styled</div>`,
      `<style>body { background: url(${origin}/style-tag.png) }</style>`,
      `<iframe src="${origin}/frame.html"></iframe>`,
      `![tracker](${origin}/md-img.png)`,
      `<object data="${origin}/object"></object><embed src="${origin}/embed">`,
      `<link rel="stylesheet" href="${origin}/link.css">`,
      `<form action="${origin}/form"><input type=image src="${origin}/input.png"></form>`,
      `Plain **bold** text and a [safe link](https://example.com/docs).`,
    ];
    const id = newRequestId('xss');
    const t = Date.now();
    await feed([
      ...start(id, t, 'Show me some HTML'),
      { type: 'reasoning.delta', requestId: id, t: t + 1, text: `Thinking about <img src=x onerror="window.__ponderXss='reasoning'"> and ![r](${origin}/reasoning.png)\n\n` },
      { type: 'tool.call', requestId: id, t: t + 2, id: 'c1', name: 'read_file', arguments: '{"path":"src/a.ts"}' },
      { type: 'tool.result', requestId: id, t: t + 3, id: 'c1', ok: true, ms: 2, summary: `<svg onload="window.__ponderXss='tool'"></svg> ![t](${origin}/tool.png)` },
      { type: 'content.delta', requestId: id, t: t + 4, text: payloads.join('\n\n') },
      { type: 'request.end', requestId: id, t: t + 5, finishReason: 'stop', ms: 5 },
    ]);
    await vscode.commands.executeCommand('ponder.showTrace', id);
    const text = await waitFor(async () => { const x = await ui.webviewText(VIEW); return x.includes('safe link') ? x : ''; }, { timeoutMs: 20_000, message: 'the answer to render' });
    // The payloads show as text, the user can read what the model wrote.
    assert.match(text, /<script>window\.__ponderXss='script'<\/script>/);
    assert.match(text, /<img src=x onerror=/);
    assert.match(text, /<svg onload=/);
    await sleep(1500); // time for any load or handler to fire
    const page = await ui.webviewEval<{ flag: unknown; dangerous: number; hrefs: (string | null)[]; bold: number }>(VIEW, () => {
      const md = [...document.querySelectorAll('.md')];
      return {
        flag: (window as unknown as { __ponderXss?: unknown }).__ponderXss ?? null,
        dangerous: md.reduce((n, el) => n + el.querySelectorAll('script,img,iframe,svg,style,object,embed,link,form,input,[style],[onerror],[onload]').length, 0),
        hrefs: md.flatMap((el) => [...el.querySelectorAll('a')].map((a) => a.getAttribute('href'))),
        bold: md.reduce((n, el) => n + el.querySelectorAll('strong').length, 0),
      };
    });
    assert.equal(page.flag, null, 'no payload ran');
    assert.equal(page.dangerous, 0, 'no active element made it into the page');
    assert.deepEqual(page.hrefs.filter((h) => h !== null), ['https://example.com/docs'], 'only the http(s) link keeps its href');
    assert.ok(page.bold >= 1, 'ordinary markdown still renders');
    assert.deepEqual(hits, [], 'the remote host got no request');
    await ui.webviewScreenshot(VIEW, 'sidebar-xss');
  });

  it('payloads split across deltas, in tool arguments, paths, errors, notices and model names stay text; a link click navigates nothing', async () => {
    hits = [];
    const id = newRequestId('xss-split');
    const t = Date.now();
    const img = `<img src="${origin}/split.png" onerror="window.__ponderXss='split'">`;
    // The same payloads cut at every few characters, as a stream may deliver them.
    const split = (text: string, n: number) => Array.from({ length: Math.ceil(text.length / n) }, (_, i) => text.slice(i * n, i * n + n));
    const answer = `Before ${img} middle <script>window.__ponderXss='split-script'</script> and [go](javascript:window.__ponderXss='split-link') then [docs](https://example.com/ok) end.`;
    await feed([
      { type: 'request.start', requestId: id, t, endpoint: `ep<img src=x onerror="window.__ponderXss='endpoint'">`, model: `m<svg onload="window.__ponderXss='model'">`, command: 'explain', prompt: 'split payloads' },
      {
        type: 'context.packed', requestId: id, t: t + 1, budget: 6000, used: 10, window: 32768, partial: false, ms: 1,
        items: [{ path: `src/<img src=x onerror="window.__ponderXss='path'">.ts`, tokens: 10, reason: `reason <script>window.__ponderXss='reason'</script>`, kind: 'query' }],
        withheld: [{ path: `<svg onload="window.__ponderXss='withheld'">`, reason: 'secret file: never sent' }],
      },
      ...split(`Reasoning ${img} done.\n\n`, 3).map((text, i) => ({ type: 'reasoning.delta', requestId: id, t: t + 2 + i, text })),
      { type: 'tool.call', requestId: id, t: t + 200, id: 'c1', name: `read_file<img src=x onerror="window.__ponderXss='toolname'">`, arguments: JSON.stringify({ path: `<img src="${origin}/arg.png" onerror="window.__ponderXss='args'">` }) },
      { type: 'tool.approval', requestId: id, t: t + 201, id: 'c1', state: 'asked', detail: `"<img src=x onerror=\\"window.__ponderXss='approval'\\">"  (in .)` },
      { type: 'tool.result', requestId: id, t: t + 202, id: 'c1', ok: false, ms: 1, summary: 'refused', error: `<img src=x onerror="window.__ponderXss='toolerror'">` },
      { type: 'notice', requestId: id, t: t + 203, level: 'warning', message: `Notice <img src="${origin}/notice.png" onerror="window.__ponderXss='notice'">` },
      ...split(answer, 2).map((text, i) => ({ type: 'content.delta', requestId: id, t: t + 300 + i, text })),
      { type: 'error', requestId: id, t: t + 900, kind: 'server', message: `Server said <script>window.__ponderXss='error'</script><img src="${origin}/error.png">`, action: `<a href="javascript:window.__ponderXss='action'">fix</a>` },
      { type: 'request.end', requestId: id, t: t + 901, finishReason: 'error', ms: 901 },
    ]);
    await vscode.commands.executeCommand('ponder.showTrace', id);
    const text = await waitFor(async () => { const x = await ui.webviewText(VIEW); return x.includes('Server said') && x.includes('docs') ? x : ''; }, { timeoutMs: 20_000, message: 'the request with its error to render' });
    assert.match(text, /<script>window\.__ponderXss='split-script'<\/script>/, 'the split script shows as text');
    assert.match(text, /Server said <script>/);
    await sleep(1500);
    const before = await ui.webviewEval<{ url: string }>(VIEW, () => ({ url: location.href }));
    // A click on each link in the answer (the http one and whatever became of the javascript: one).
    await ui.webviewClick(VIEW, '.md a');
    await sleep(1000);
    const page = await ui.webviewEval<{ flag: unknown; dangerous: number; hrefs: (string | null)[]; url: string }>(VIEW, () => ({
      flag: (window as unknown as { __ponderXss?: unknown }).__ponderXss ?? null,
      dangerous: document.body.querySelectorAll('script:not([nonce]),img,iframe,svg:not(.chart):not(.icon),object,embed,[onerror],[onload]').length,
      hrefs: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')).filter((h) => h && /^javascript:/i.test(h)),
      url: location.href,
    }));
    assert.equal(page.flag, null, 'no payload ran');
    assert.equal(page.dangerous, 0, 'no active element from the events made it into the page');
    assert.deepEqual(page.hrefs, [], 'no javascript: link');
    assert.equal(page.url, before.url, 'the click did not navigate the sidebar');
    assert.deepEqual(hits, [], 'the remote host got no request');
    await ui.webviewScreenshot(VIEW, 'sidebar-xss-split');
  });
});
