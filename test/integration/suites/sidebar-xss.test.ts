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
});
