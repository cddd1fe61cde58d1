import assert from 'node:assert/strict';
import { UpdateQueue, type QueuedUpdate } from '../../../src/vscode/sidebar/updateQueue';
import type { PonderEvent } from '../../../src/core/events';

describe('host update queue (sidebar)', () => {
  it('sends 2,000 deltas that arrive within one interval as one message with one merged delta', async () => {
    const sent: QueuedUpdate[] = [];
    const q = new UpdateQueue((u) => sent.push(u), 20);
    for (let i = 0; i < 2000; i++) q.push('r', { type: 'reasoning.delta', requestId: 'r', t: i, text: 'a' } as PonderEvent);
    assert.equal(sent.length, 0, 'nothing sent synchronously');
    await new Promise((r) => setTimeout(r, 40));
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].requestIds, ['r']);
    assert.equal(sent[0].events.length, 1);
    assert.equal((sent[0].events[0] as { text: string }).text.length, 2000);
    q.dispose();
  });

  it('lists changed rows without detail events, and sends nothing when idle', () => {
    const sent: QueuedUpdate[] = [];
    const q = new UpdateQueue((u) => sent.push(u), 1000);
    q.push('a');
    q.push('b');
    q.flush();
    q.flush();
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0], { requestIds: ['a', 'b'], events: [] });
    q.dispose();
  });

  it('leaves the history row out for token deltas, and ignores deltas of requests not shown', () => {
    const sent: QueuedUpdate[] = [];
    const q = new UpdateQueue((u) => sent.push(u), 1000);
    q.push('shown', { type: 'content.delta', requestId: 'shown', t: 0, text: 'x' } as PonderEvent, false);
    q.push('other', undefined, false);
    q.flush();
    assert.deepEqual(sent.map((u) => [u.requestIds, u.events.length]), [[[], 1]]);
    q.dispose();
  });

  it('drops pending events on reset (a snapshot supersedes them)', () => {
    const sent: QueuedUpdate[] = [];
    const q = new UpdateQueue((u) => sent.push(u), 1000);
    q.push('a', { type: 'content.delta', requestId: 'a', t: 0, text: 'x' } as PonderEvent);
    q.reset();
    q.flush();
    assert.equal(sent.length, 0);
  });
});
