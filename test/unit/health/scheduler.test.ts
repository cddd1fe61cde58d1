import assert from 'node:assert/strict';
import { HealthPoller, type Clock, type HealthState } from '../../../src/core/health';
import { startMetricsServer, type MetricsServer } from '../../fixtures/wire/metrics';

/** Timers that fire only when the test advances time. */
class FakeClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now() { return this.t; }
  setTimeout(fn: () => void, ms: number) { const id = ++this.seq; this.timers.set(id, { at: this.t + ms, fn }); return id; }
  clearTimeout(h: unknown) { this.timers.delete(h as number); }
  get pending() { return this.timers.size; }
  advance(ms: number) {
    this.t += ms;
    for (const [id, timer] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at <= this.t) { this.timers.delete(id); timer.fn(); }
    }
  }
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('health: polling scheduler (fake clock, real fixture server)', () => {
  let server: MetricsServer;
  let clock: FakeClock;
  let updates: Array<{ id: string; state: HealthState; newWarnings: string[] }>;
  let poller: HealthPoller;
  beforeEach(async () => {
    server = await startMetricsServer('healthy');
    clock = new FakeClock();
    updates = [];
    poller = new HealthPoller({ intervalSeconds: 15, clock, onUpdate: (id, state, newWarnings) => updates.push({ id, state, newWarnings }) });
  });
  afterEach(async () => { poller.dispose(); await server.close(); });

  const profiles = () => [
    { id: 'team-vllm', provider: 'vllm', baseUrl: server.baseUrl },
    // Configured but not vLLM: never polled, even though it points at the same server.
    { id: 'other', provider: 'openai-compatible', baseUrl: server.baseUrl },
  ];

  it('polls only while visible, every interval, and stops when hidden', async () => {
    poller.setTargets(profiles());
    clock.advance(60_000);
    assert.equal(server.control.hits['/metrics'], undefined, 'not visible yet: nothing sent');
    assert.equal(clock.pending, 0);

    poller.setVisible(true);
    clock.advance(0);
    await until(() => updates.length === 1, 'first poll');
    assert.deepEqual(updates.map((u) => u.id), ['team-vllm']);
    clock.advance(14_999);
    assert.equal(server.control.hits['/metrics'], 1, 'not before the interval');
    clock.advance(1);
    await until(() => updates.length === 2, 'second poll');
    assert.equal(updates[1].state.tokensPerSecond, 50);

    poller.setVisible(false);
    assert.equal(poller.active, false);
    assert.equal(clock.pending, 0, 'no timer left');
    clock.advance(10 * 60_000);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(server.control.hits, { '/health': 2, '/metrics': 2 }, 'hidden: no more requests');

    poller.setVisible(true); // shown again after the interval passed: poll at once
    clock.advance(0);
    await until(() => updates.length === 3, 'poll after showing again');
  });

  it('aborts a probe in flight when hidden, and never reports it', async () => {
    let release: () => void = () => {};
    const slow = new HealthPoller({
      intervalSeconds: 15, clock,
      probe: (_t, signal) => new Promise((resolve, reject) => {
        release = () => resolve({ atMs: 0, reachable: true });
        signal.addEventListener('abort', () => reject(new Error('aborted')));
      }),
      onUpdate: (id, state, w) => updates.push({ id, state, newWarnings: w }),
    });
    slow.setTargets(profiles());
    slow.setVisible(true);
    clock.advance(0);
    assert.equal(slow.active, true);
    slow.setVisible(false);
    release();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(updates, []);
    assert.equal(slow.active, false);
    slow.dispose();
  });

  it('a listener that throws does not stop polling: the error is reported, the next poll still comes', async () => {
    const errors: string[] = [];
    let calls = 0;
    const fragile = new HealthPoller({
      intervalSeconds: 15, clock,
      onUpdate: (id, state, newWarnings) => { calls++; if (calls === 1) throw new Error('status bar is gone'); updates.push({ id, state, newWarnings }); },
      onError: (id, err) => errors.push(`${id}: ${(err as Error).message}`),
    });
    fragile.setTargets(profiles());
    fragile.setVisible(true);
    clock.advance(0);
    await until(() => errors.length === 1, 'the first poll to report its listener error');
    assert.deepEqual(errors, ['team-vllm: status bar is gone']);
    await until(() => clock.pending === 1, 'the next poll to be scheduled');
    clock.advance(15_000);
    await until(() => updates.length === 1, 'the second poll');
    assert.equal(server.control.hits['/metrics'], 2);
    assert.equal(updates[0].state.state, 'up');
    fragile.dispose();
  });

  it('interval 0 turns polling off; a saturated server warns once at the threshold', async () => {
    poller.setTargets(profiles());
    poller.setIntervalSeconds(0);
    poller.setVisible(true);
    clock.advance(60_000);
    assert.equal(clock.pending, 0);
    assert.equal(server.control.hits['/health'], undefined);

    server.control.scenario = 'saturated';
    poller.setIntervalSeconds(5);
    clock.advance(0);
    await until(() => updates.length === 1, 'first poll');
    clock.advance(5000);
    await until(() => updates.length === 2, 'second poll');
    clock.advance(5000);
    await until(() => updates.length === 3, 'third poll');
    assert.deepEqual(updates.map((u) => u.state.state), ['up', 'degraded', 'degraded']);
    assert.deepEqual(updates.map((u) => u.newWarnings.length), [0, 1, 1], 'KV warning at the 2nd check, queue warning at the 3rd');
    assert.equal(poller.state('team-vllm')?.saturated, true);
  });
});
