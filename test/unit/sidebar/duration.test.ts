import assert from 'node:assert/strict';
import { formatDuration, thinkingTime } from '../../../src/core/format/duration';

describe('elapsed times as the sidebar and the Chat view show them', () => {
  it('reads in ms under a second, one decimal under 10 s, whole seconds, then minutes', () => {
    assert.equal(formatDuration(0), '0 ms');
    assert.equal(formatDuration(313), '313 ms');
    assert.equal(formatDuration(4249), '4.2 s');
    assert.equal(formatDuration(42_400), '42 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
  });

  it('thinking time: the core\'s measure once the request ended, else what was seen streaming', () => {
    assert.equal(thinkingTime({ thinkingMs: 2140 }, 12), 2140);
    assert.equal(thinkingTime({}, 12), 12);
    assert.equal(thinkingTime(undefined, 12), 12);
  });
});
