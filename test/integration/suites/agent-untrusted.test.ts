import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { ponder, resetWorkbench, ui, waitFor, workspaceRoot } from '../lib';
import { answerScenario, nextAnswer, renderedAnswer, sendChat, wireForSuite } from './chatHelpers';
import { keep, quickInput } from './agentHelpers';

/**
 * Restricted Mode: an agent edits files and runs commands, so an untrusted folder gets no agent.
 * Both ways in (`@ponder /agent` and Start Agent Task) say why and how to trust the folder, and
 * nothing reaches the endpoint or the disk.
 */
describe('Agent mode in an untrusted workspace', function () {
  this.timeout(90_000);

  before(async () => {
    await ponder.activate();
  });
  const wire = wireForSuite();
  const gitStatus = () => execFileSync('git', ['status', '--porcelain'], { cwd: workspaceRoot().fsPath, encoding: 'utf8' });

  it('@ponder /agent answers that the workspace is not trusted, with the way to trust it; the endpoint receives nothing', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this group runs in Restricted Mode');
    await resetWorkbench();
    // Were the agent to run, this is what it would get to do.
    wire().enqueue(answerScenario('untrusted-agent', 'I would edit files now.'));
    const sent = wire().chatRequests.length;
    const before = await sendChat('@ponder /agent Make remove() ignore an unknown sku');
    const answer = await nextAnswer(before);
    assert.match(answer.markdown, /\*\*No agent here:\*\* This workspace is not trusted \(Restricted Mode\), so Ponder has no agent here/);
    assert.match(answer.markdown, /Trust the folder \(Manage Workspace Trust\) to use the agent/);
    assert.deepEqual(answer.buttons, ['Manage Workspace Trust']);
    assert.equal(answer.failed, 'refused');
    const shown = await renderedAnswer(/not trusted/);
    assert.match(shown, /Manage Workspace Trust/, 'the button is in the Chat view');
    await keep(await ui.screenshot('agent-untrusted-chat'), 'agent-untrusted-chat');
    assert.equal(wire().chatRequests.length, sent, 'no request reached the endpoint');
    assert.equal(gitStatus(), '', 'no file changed');
  });

  it('Start Agent Task from the palette refuses the same way, offers Manage Workspace Trust, and asks for no task', async () => {
    await resetWorkbench();
    const sent = wire().chatRequests.length;
    await ui.press('F1');
    await ui.type('Ponder: Start Agent Task');
    await quickInput(/Ponder: Start Agent Task/, 'Start Agent Task in the command palette');
    await ui.press('Enter');
    const toast = await waitFor(async () => (await ui.notifications()).find((n) => /not trusted/.test(n.message)), { message: 'the refusal' });
    assert.match(toast.message, /This workspace is not trusted \(Restricted Mode\), so Ponder has no agent here/);
    assert.match(toast.message, /Trust the folder \(Manage Workspace Trust\) to use the agent/);
    assert.equal(toast.severity, 'warning');
    const buttons = await ui.workbenchEval<string[]>(() => [...document.querySelectorAll('.notification-toast .monaco-button')].map((b) => (b as HTMLElement).innerText));
    assert.ok(buttons.includes('Manage Workspace Trust'), `buttons: ${buttons.join(', ')}`);
    await keep(await ui.screenshot('agent-untrusted-start'), 'agent-untrusted-start');
    // No input box for the task: the refusal comes first.
    const quick = await ui.workbenchEval<string>(() => { const w = document.querySelector('.quick-input-widget') as HTMLElement | null; return w && w.style.display !== 'none' ? w.innerText : ''; });
    assert.doesNotMatch(quick, /What should the agent do/);
    // With the task given as an argument (a keybinding or another extension), the same refusal.
    await vscode.commands.executeCommand('notifications.clearAll');
    const byArgument = vscode.commands.executeCommand('ponder.agent.start', 'Delete every file');
    await waitFor(async () => (await ui.notifications()).some((n) => /not trusted/.test(n.message)), { message: 'the refusal of a task given as an argument' });
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await byArgument, undefined);
    assert.equal(wire().chatRequests.length, sent, 'no request reached the endpoint');
    assert.equal(gitStatus(), '', 'no file changed');
  });
});
