import assert from 'node:assert/strict';
import { coalesceEvents } from '../../../src/core/protocol/coalesce';
import type { PonderEvent } from '../../../src/core/events';

const d = (type: 'reasoning.delta' | 'content.delta', text: string, requestId = 'r', t = 0): PonderEvent => ({ type, requestId, t, text });

describe('coalescing deltas', () => {
  it('merges a run of 10,000 reasoning deltas into one event with the first time', () => {
    const events = Array.from({ length: 10_000 }, (_, i) => d('reasoning.delta', 'x', 'r', i));
    const out = coalesceEvents(events);
    assert.equal(out.length, 1);
    assert.equal(out[0].type === 'reasoning.delta' && out[0].text.length, 10_000);
    assert.equal(out[0].t, 0);
  });

  it('keeps order and does not merge across types, requests or other events', () => {
    const call: PonderEvent = { type: 'tool.call', requestId: 'r', t: 0, id: 'c', name: 'n', arguments: '{}' };
    const out = coalesceEvents([d('reasoning.delta', 'a'), d('reasoning.delta', 'b'), d('content.delta', 'c'), call, d('content.delta', 'd'), d('content.delta', 'e', 'other')]);
    assert.deepEqual(out.map((e) => (e.type === 'reasoning.delta' || e.type === 'content.delta' ? `${e.requestId}:${e.text}` : e.type)), ['r:ab', 'r:c', 'tool.call', 'r:d', 'other:e']);
  });

  it('does not change the events it was given', () => {
    const events = [d('reasoning.delta', 'a'), d('reasoning.delta', 'b')];
    coalesceEvents(events);
    assert.equal(events[0].type === 'reasoning.delta' && events[0].text, 'a');
  });
});
