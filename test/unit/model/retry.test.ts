import assert from 'node:assert/strict';
import { backoffDelay, parseDuration, serverRetryDelay } from '../../../src/core/model/retry';

const headers = (h: Record<string, string>) => new Headers(h);

describe('retry timing', () => {
  it('reads retry-after as seconds or as an HTTP date', () => {
    assert.equal(serverRetryDelay(headers({ 'retry-after': '7' })), 7000);
    const now = Date.parse('2026-11-22T12:00:00Z');
    assert.equal(serverRetryDelay(headers({ 'retry-after': 'Sun, 22 Nov 2026 12:00:30 GMT' }), now), 30000);
    assert.equal(serverRetryDelay(headers({ 'retry-after-ms': '250' })), 250);
  });

  it('reads x-ratelimit-reset-* durations and waits for the later one', () => {
    assert.equal(parseDuration('1s'), 1000);
    assert.equal(parseDuration('6m0s'), 360000);
    assert.equal(parseDuration('20ms'), 20);
    assert.equal(parseDuration('1h2m3.5s'), 3723500);
    assert.equal(parseDuration('soon'), undefined);
    assert.equal(serverRetryDelay(headers({ 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '2.5s' })), 2500);
    assert.equal(serverRetryDelay(headers({})), undefined);
  });

  it('backs off exponentially, capped at 8 s, with jitter of at most 25%', () => {
    assert.equal(backoffDelay(0, () => 0.5), 500);
    assert.equal(backoffDelay(3, () => 0.5), 4000);
    assert.equal(backoffDelay(10, () => 0.5), 8000);
    assert.equal(backoffDelay(10, () => 0), 6000);
    assert.equal(backoffDelay(10, () => 0.999999), 10000);
  });
});
