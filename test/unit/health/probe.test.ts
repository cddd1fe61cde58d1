import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeVllm, HealthTracker, healthUrls, serverRootOf, isPollable } from '../../../src/core/health';
import { startMetricsServer, type MetricsServer } from '../../fixtures/wire/metrics';

/** A port on which nothing listens: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('health: probing a vLLM server (fixture server)', () => {
  let server: MetricsServer;
  beforeEach(async () => { server = await startMetricsServer('healthy'); });
  afterEach(async () => { await server.close(); });

  const target = () => ({ id: 'team-vllm', provider: 'vllm', baseUrl: server.baseUrl });

  it('finds /health and /metrics at the server root, or at metricsUrl', () => {
    assert.deepEqual(healthUrls({ id: 'a', baseUrl: 'http://gpu:8000/v1/' }), { health: 'http://gpu:8000/health', metrics: 'http://gpu:8000/metrics' });
    assert.deepEqual(healthUrls({ id: 'a', baseUrl: 'https://proxy/vllm/v1', metricsUrl: 'https://proxy/metrics/vllm' }), { health: 'https://proxy/vllm/health', metrics: 'https://proxy/metrics/vllm' });
    assert.equal(serverRootOf('http://gpu:8000/v1?x=1'), 'http://gpu:8000');
    assert.equal(isPollable({ id: 'mai', provider: 'foundry', baseUrl: 'https://x.openai.azure.com/openai/v1' }), false, 'only vllm profiles are polled');
  });

  it('healthy: shows KV, requests, recent TTFT and tokens/s from two samples', async () => {
    let now = 1_000_000;
    const tracker = new HealthTracker();
    tracker.update(await probeVllm(target(), { now: () => now }));
    assert.equal(tracker.state.state, 'up');
    assert.equal(tracker.state.tokensPerSecond, undefined, 'a rate needs two samples');
    now += 15_000;
    const { state } = tracker.update(await probeVllm(target(), { now: () => now }));
    assert.equal(state.state, 'up');
    assert.equal(state.kvCacheUsage, 0.42);
    assert.equal(state.tokensPerSecond, 50, '750 tokens in 15 s');
    assert.ok(Math.abs(state.ttftSeconds! - 0.2) < 1e-9, `recent TTFT ${state.ttftSeconds}`);
    assert.equal(state.detail, 'KV 42% · 3 running · 0 waiting · TTFT 0.20 s · 50 tok/s');
    assert.deepEqual(server.control.hits, { '/health': 2, '/metrics': 2 });
    now += 200; // the picker polls right after the timer: too short a span for a rate
    const quick = tracker.update(await probeVllm(target(), { now: () => now })).state;
    // Measured against the sample 15.2 s back (1500 tokens), not the one 0.2 s back (750 tokens: 3750 tok/s).
    assert.ok(Math.abs(quick.tokensPerSecond! - 1500 / 15.2) < 1e-9, `tokens/s ${quick.tokensPerSecond}`);
    assert.equal(quick.summary, 'KV 42% · 3 running · 0 waiting · TTFT 0.20 s · 99 tok/s');
  });

  it('saturated: warns once KV stays above 85% over consecutive checks and the queue grows', async () => {
    server.control.scenario = 'saturated';
    const tracker = new HealthTracker();
    const first = tracker.update(await probeVllm(target()));
    assert.equal(first.state.state, 'up', 'one full sample is not yet a warning');
    assert.deepEqual(first.newWarnings, []);
    const second = tracker.update(await probeVllm(target()));
    assert.equal(second.state.state, 'degraded');
    assert.equal(second.state.saturated, true);
    assert.match(second.newWarnings[0], /KV cache at 93% for 2 checks in a row \(threshold 85%\): new requests will be preempted or wait/);
    const third = tracker.update(await probeVllm(target()));
    assert.deepEqual(third.newWarnings, ['queue growing: 2 → 5 → 8 requests waiting'], 'the KV warning is not repeated');
    assert.match(third.state.detail, /^KV cache at 93%.*· 24 running · 8 waiting/);
    const fourth = tracker.update(await probeVllm(target()));
    assert.deepEqual(fourth.newWarnings, [], 'a warning whose numbers changed is not new');
    assert.match(fourth.state.warnings[1], /5 → 8 → 11/);
  });

  it('down: /health failing or no server at all reads as down, naming the URL', async () => {
    server.control.scenario = 'down';
    const tracker = new HealthTracker();
    const { state } = tracker.update(await probeVllm(target()));
    assert.equal(state.state, 'down');
    assert.match(state.detail, /\/health answered 500/);
    const port = await closedPort();
    const refused = await probeVllm({ id: 'gone', provider: 'vllm', baseUrl: `http://127.0.0.1:${port}/v1` });
    assert.equal(refused.reachable, false);
    assert.equal(refused.error, `no server at http://127.0.0.1:${port}/health: is vLLM running?`);
  });

  it('metrics missing: up, and says metrics are unavailable', async () => {
    server.control.scenario = 'metrics-missing';
    const { state } = new HealthTracker().update(await probeVllm(target()));
    assert.equal(state.state, 'up');
    assert.match(state.detail, /metrics unavailable \(http:\/\/127\.0\.0\.1:\d+\/metrics answered 404\)/);
    assert.deepEqual(state.unavailable, ['/metrics']);
  });

  it('renamed metrics: reads the old KV name and lists the readings that are not exposed', async () => {
    server.control.scenario = 'renamed';
    const { state } = new HealthTracker().update(await probeVllm(target()));
    assert.equal(state.state, 'up');
    assert.equal(state.kvCacheUsage, 0.12);
    assert.equal(state.detail, 'KV 12% · 1 running · 0 waiting · not exposed: vllm:time_to_first_token_seconds, vllm:generation_tokens_total');
  });
});
