import assert from 'node:assert/strict';
import { FrameBatcher } from '../../../src/webview/frameBatcher';

/** A manual frame clock: `tick()` runs what asked for the next frame. */
function frames() {
  let pending: (() => void)[] = [];
  return {
    request: (cb: () => void) => { pending.push(cb); },
    tick() { const run = pending; pending = []; for (const cb of run) cb(); },
    get waiting() { return pending.length; },
  };
}

describe('frame batcher (webview)', () => {
  it('applies 10,000 messages that arrive between frames with one render', () => {
    const clock = frames();
    const applied: number[] = [];
    let renders = 0;
    const b = new FrameBatcher<number>((m) => applied.push(m), () => renders++, clock.request);
    for (let i = 0; i < 10_000; i++) b.push(i);
    assert.equal(clock.waiting, 1, 'one frame requested, not one per message');
    assert.equal(renders, 0);
    clock.tick();
    assert.equal(renders, 1);
    assert.equal(applied.length, 10_000);
    assert.equal(b.backlog, 0);
    clock.tick();
    assert.equal(renders, 1, 'no render without news');
  });

  it('renders on invalidate without a message, once per frame', () => {
    const clock = frames();
    let renders = 0;
    const b = new FrameBatcher<number>(() => {}, () => renders++, clock.request);
    b.invalidate();
    b.invalidate();
    clock.tick();
    assert.equal(renders, 1);
  });

  it('after a slow frame, leaves one frame free and then applies what queued meanwhile', () => {
    const clock = frames();
    let now = 0;
    let renders = 0;
    const b = new FrameBatcher<number>(() => {}, () => { renders++; now += 30; }, clock.request, () => now, 12);
    b.push(1);
    clock.tick();
    assert.equal(renders, 1);
    b.push(2);
    clock.tick();
    assert.equal(renders, 1, 'skipped the frame after a 30 ms one');
    assert.equal(b.backlog, 1);
    clock.tick();
    assert.equal(renders, 2);
    assert.equal(b.backlog, 0);
    assert.equal(b.stats.longestFrameMs, 30);
  });
});
