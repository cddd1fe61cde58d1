import assert from 'node:assert/strict';
import { ApprovalBroker, type ApprovalAsk, type ApprovalPrompt } from '../../../src/vscode/chat/approvals';

const ask: ApprovalAsk = { requestId: 'r1', callId: 'c1', tool: 'run_command', detail: 'npm test in .' };

/** A prompt that never answers until told, and records whether it was told to go away. */
function pendingPrompt(): { prompt: ApprovalPrompt; answer(v: { allow: boolean; forSession?: boolean } | undefined): void; dismissed(): boolean } {
  let answer!: (v: { allow: boolean; forSession?: boolean } | undefined) => void;
  let signal: AbortSignal | undefined;
  return {
    prompt: (_a, s) => { signal = s; return new Promise((r) => { answer = r; }); },
    answer: (v) => answer(v),
    dismissed: () => !!signal?.aborted,
  };
}

describe('tool approvals: first answer wins', () => {
  it('the prompt answers: allow for this session', async () => {
    const broker = new ApprovalBroker();
    const p = pendingPrompt();
    const result = broker.ask(ask, p.prompt);
    assert.deepEqual(broker.list(), [ask]);
    p.answer({ allow: true, forSession: true });
    assert.deepEqual(await result, { allow: true, forSession: true, by: 'user' });
    assert.deepEqual(broker.list(), []);
  });

  it('the sidebar answers first; the prompt is told to go away and its late answer is ignored', async () => {
    const broker = new ApprovalBroker();
    const p = pendingPrompt();
    const result = broker.ask(ask, p.prompt);
    assert.equal(broker.resolve({ requestId: 'r1', callId: 'c1', allow: false }), true);
    p.answer({ allow: true });
    assert.deepEqual(await result, { allow: false, forSession: undefined, by: 'user' });
    assert.equal(p.dismissed(), true);
    assert.equal(broker.resolve({ requestId: 'r1', callId: 'c1', allow: true }), false, 'no longer pending');
  });

  it('a dismissed prompt denies', async () => {
    const broker = new ApprovalBroker();
    const p = pendingPrompt();
    const result = broker.ask(ask, p.prompt);
    p.answer(undefined);
    assert.equal((await result).allow, false);
  });

  it('cancelling the request denies a pending approval', async () => {
    const broker = new ApprovalBroker();
    const controller = new AbortController();
    const result = broker.ask(ask, pendingPrompt().prompt, controller.signal);
    controller.abort();
    assert.deepEqual(await result, { allow: false, by: 'cancelled' });
    assert.deepEqual(broker.list(), []);
  });

  it('tells listeners when the pending list changes', async () => {
    const broker = new ApprovalBroker();
    let changes = 0;
    broker.onDidChange(() => changes++);
    const p = pendingPrompt();
    const result = broker.ask(ask, p.prompt);
    p.answer({ allow: true });
    await result;
    assert.equal(changes, 2);
  });
});
