import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ponder, sleep, ui, waitFor } from '../lib';
import { VIEW, feed, newRequestId, start } from './sidebarEvents';

/**
 * The sidebar renders model markdown while it streams (no raw text, then a jump when the block
 * completes), and its code blocks scroll inside the view and can be copied.
 */
describe('Sidebar: markdown while it streams, code blocks', function () {
  this.timeout(60_000);
  before(async () => {
    await ponder.activate();
    await vscode.commands.executeCommand('ponder.trace.focus');
  });

  it('formats the unfinished part of an answer as it arrives, code fence included', async () => {
    const id = newRequestId('md');
    const t = Date.now();
    const longLine = `const veryLongIdentifierThatDoesNotFit = ${'computeSomethingWithAName(argumentNumber), '.repeat(8)}0;`;
    await feed([
      ...start(id, t),
      // One paragraph and an open code fence: nothing here has completed its block yet.
      { type: 'content.delta', requestId: id, t: t + 10, text: 'The fix is **one guard** before `splice`:\n\n' },
      { type: 'content.delta', requestId: id, t: t + 11, text: '```ts\nif (index === -1) return;\n' },
      { type: 'content.delta', requestId: id, t: t + 12, text: `${longLine}\n` },
    ]);
    await vscode.commands.executeCommand('ponder.showTrace', id);
    const shown = await waitFor(async () => ui.webviewEval<{ strong: number; pre: number; rawStars: boolean; copy: number } | null>(VIEW, () => {
      const answer = document.querySelector('.answer .md, .md.answer, [aria-label="Answer"]') ?? document.body;
      const pre = answer.querySelectorAll('pre');
      if (!pre.length) return null;
      return { strong: answer.querySelectorAll('strong').length, pre: pre.length, rawStars: (answer as HTMLElement).innerText.includes('**one guard**'), copy: answer.querySelectorAll('.copy-code').length };
    }), { message: 'the streaming answer rendered as markdown' });
    assert.ok(shown.strong >= 1, 'bold text is bold while streaming');
    assert.equal(shown.rawStars, false, 'no raw ** markers while streaming');
    assert.ok(shown.copy >= 1, 'the code block has a Copy button');

    // The long line scrolls inside its block; the view does not grow sideways.
    const widths = await ui.webviewEval<{ pre: number; preScroll: number; body: number; bodyScroll: number }>(VIEW, () => {
      const pre = [...document.querySelectorAll('pre')].pop()!;
      return { pre: pre.clientWidth, preScroll: pre.scrollWidth, body: document.documentElement.clientWidth, bodyScroll: document.documentElement.scrollWidth };
    });
    assert.ok(widths.preScroll > widths.pre, `the code block scrolls (${widths.preScroll} > ${widths.pre})`);
    assert.ok(widths.bodyScroll <= widths.body + 1, `the sidebar does not scroll sideways (${widths.bodyScroll} vs ${widths.body})`);
    await ui.webviewScreenshot(VIEW, 'sidebar-markdown-streaming');

    // Copy sends exactly the code (the browser here may not read the clipboard back: the host's
    // confirmation in the status bar shows it arrived).
    const sent = await ui.webviewEval<string>(VIEW, () => document.querySelector('.answer .code-block pre')?.textContent ?? '');
    assert.equal(sent, `if (index === -1) return;\n${longLine}\n`);
    await ui.webviewClick(VIEW, '.answer .copy-code');
    await waitFor(async () => /Ponder: code copied/.test(await ui.text('.part.statusbar')), { message: 'the status bar to confirm the copy' });
    assert.equal(await ui.webviewText(VIEW, '.answer .copy-code'), 'Copied');
    await sleep(100);

    await feed([
      { type: 'content.delta', requestId: id, t: t + 20, text: '```\n\nDone.' },
      { type: 'request.end', requestId: id, t: t + 30, finishReason: 'stop', ms: 30 },
    ]);
  });
});
