import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ponder, resetWorkbench, ui } from '../lib';
import { answerScenario, nextAnswer, renderedAnswer, sendChat, traceOf, wireForSuite } from './chatHelpers';

/**
 * Restricted Mode: the folder is not trusted, so Ponder offers the model no tools at all (no
 * reads, no edits, no commands) and says so once in the answer. Endpoints come from user
 * settings, which Restricted Mode still honours.
 */
describe('@ponder in an untrusted workspace', function () {
  this.timeout(90_000);

  before(async () => {
    await ponder.activate();
  });
  const wire = wireForSuite();

  it('answers without tools and tells the user why', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this group runs in Restricted Mode');
    await resetWorkbench();
    wire().enqueue(answerScenario('plain', 'Here is an answer without looking at files.'));
    const sent = wire().chatRequests.length;
    const before = await sendChat('@ponder /explain what does the cart do?');
    const answer = await nextAnswer(before);
    const request = wire().chatRequests[sent];
    assert.ok(request, 'the request reached the endpoint');
    assert.equal(request.body?.tools, undefined, 'no tool was offered to the model');
    assert.match(answer.markdown, /not trusted \(Restricted Mode\), so Ponder runs no tools/);
    assert.equal(answer.markdown.match(/runs no tools/g)?.length, 1, 'said once');
    assert.match(answer.markdown, /Here is an answer without looking at files\./);
    const trace = await traceOf(answer.requestId);
    assert.ok(!trace.some((e) => e.type.startsWith('tool.')), 'no tool events');
    await renderedAnswer(/runs no tools/);
    await ui.screenshot('chat-untrusted-no-tools');
  });
});
