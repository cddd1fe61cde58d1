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
    assert.deepEqual(p.commands.map((c) => c.name).sort(), ['agent', 'explain', 'fix', 'refactor', 'review', 'tests']);
  });

  it('activation registers the @ponder handler: VS Code finds an activated participant', async () => {
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@ponder /explain What does Cart.remove do?', mode: 'ask' });
    await sleep(500);
    const text = await settledResponse();
    // VS Code's own answer when the participant was contributed but never registered.
    assert.doesNotMatch(text, /No activated agent|must be declared in package\.json/i, `@ponder is not registered; the Chat view says:\n${text}`);
  });

  it('on a fresh profile with no endpoint configured, @ponder answers itself (not VS Code\'s "Language model unavailable")', async () => {
    // With no profile Ponder uses a local vLLM at http://localhost:8000/v1 (nothing listens there
    // in tests), so the answer should be Ponder's own, actionable one.
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@ponder What does Cart.remove do?', mode: 'ask' });
    await sleep(500);
    const text = await settledResponse();
    await ui.screenshot('foundation-chat-fresh-profile');
    const models = (await vscode.lm.selectChatModels({ vendor: 'ponder' })).map((m) => `${m.id} (${m.name})`);
    assert.doesNotMatch(text, NOT_HANDLED, `the request did not reach Ponder's handler; Ponder's models: [${models.join(', ')}]; the Chat view says:\n${text}`);
    // Ponder's own answer says which server it tried, so the user knows what to start or fix.
    assert.match(text, /localhost:8000/, `Ponder's answer does not name the server it tried:\n${text}`);
  });
});
