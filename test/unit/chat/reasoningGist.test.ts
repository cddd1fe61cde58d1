import assert from 'node:assert/strict';
import { formatSeconds, latestSentence } from '../../../src/vscode/chat/prompts';
import { buildView } from '../../../src/core/protocol/requestView';
import type { PonderEvent } from '../../../src/core/events';

describe('reasoning while it streams, and private reasoning', () => {
  it('the gist is the latest complete sentence, clipped; nothing before the first sentence ends', () => {
    assert.equal(latestSentence('The user asks for'), undefined);
    assert.equal(latestSentence('The user asks for 2+2. That is'), 'The user asks for 2+2.');
    assert.equal(latestSentence('The user asks for 2+2. That is 4.'), 'That is 4.');
    assert.equal(latestSentence('- First, read the loop\n- then check'), 'First, read the loop');
    assert.equal(latestSentence(`${'word '.repeat(60)}end.`, 40)!.length <= 40, true);
    assert.equal(formatSeconds(3200), '3.2 s');
    assert.equal(formatSeconds(14), '0.0 s');
    assert.equal(formatSeconds(42_400), '42 s');
    assert.equal(formatSeconds(125_000), '2 min 5 s');
  });

  it('the sidebar view knows reasoning is private: said at the start, kept at the end with thinking time', () => {
    const id = 'r1';
    const ev: PonderEvent[] = [
      { type: 'request.start', requestId: id, t: 1, endpoint: 'mai', model: 'mai-dep', provider: 'foundry', privateReasoning: true },
      { type: 'content.delta', requestId: id, t: 5, text: 'Answer.' },
      { type: 'usage', requestId: id, t: 6, usage: { prompt: 10, cached: 0, completion: 20, reasoning: 64, cacheWrite: 0 } },
      { type: 'request.end', requestId: id, t: 7, finishReason: 'stop', ms: 6, thinkingMs: 3200, privateReasoning: true },
    ];
    const running = buildView(id, ev.slice(0, 1));
    assert.equal(running.privateReasoning, true, 'known while it thinks, before any token');
    const done = buildView(id, ev);
    assert.equal(done.privateReasoning, true);
    assert.equal(done.end?.thinkingMs, 3200);
    // A summary that did arrive is the reasoning: then it is not "private".
    const withSummary = buildView(id, [ev[0], { type: 'reasoning.delta', requestId: id, t: 2, text: 'Checked bounds.' }, ev[1], { ...ev[3], privateReasoning: undefined } as PonderEvent]);
    assert.equal(withSummary.privateReasoning, false);
    assert.equal(withSummary.reasoning, 'Checked bounds.');
  });
});
