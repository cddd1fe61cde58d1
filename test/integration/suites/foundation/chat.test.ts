import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ponder, ui, waitFor, sleep } from '../../lib';

/** What VS Code answers itself when a request never reaches a participant's handler. */
const NOT_HANDLED = /No activated agent|Language model unavailable|must be declared in package\.json|No default agent/i;

/** Text of the newest chat response once it stops changing. */
async function settledResponse(timeoutMs = 45_000): Promise<string> {
  let last = '';
  let stableSince = Date.now();
  return waitFor(
    async () => {
      const text = await ui.workbenchEval<string>(() => (document.querySelector('.interactive-response.chat-most-recent-response') as HTMLElement | null)?.innerText ?? '');
      if (text !== last) {
        last = text;
        stableSince = Date.now();
        return '';
      }
      return text.trim() && Date.now() - stableSince > 1500 ? text : '';
    },
    { timeoutMs, intervalMs: 300, message: 'the chat response to settle' },
  );
}

describe('@ponder chat participant', () => {
  before(async () => {
    await ponder.activate();
  });

  it('is contributed with its slash commands', () => {
    const participants = ponder.manifest().contributes.chatParticipants as { id: string; name: string; commands: { name: string }[] }[];
    const p = participants.find((x) => x.id === 'ponder.chat');
    assert.ok(p, 'ponder.chat is not in contributes.chatParticipants');
    assert.equal(p.name, 'ponder');
    assert.deepEqual(p.commands.map((c) => c.name).sort(), ['explain', 'fix', 'refactor', 'review', 'tests']);
  });

  it('answers `@ponder` in the Chat view from its own handler (registered at activation)', async () => {
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@ponder /explain What does Cart.remove do?', mode: 'ask' });
    await sleep(500);
    const text = await settledResponse();
    await ui.screenshot('foundation-chat');
    assert.doesNotMatch(text, NOT_HANDLED, `the request did not reach Ponder's handler; the Chat view says:\n${text}`);
  });
});
