import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthPoller, HealthTracker, modelsUrlOf, probeVllm, REQUEST_TRUSTED_MS, type HealthState } from '../../../src/core/health';
import { healthLine } from '../../../src/vscode/endpoints/present';
import { fixtureProfile } from '../run/helpers';
import { startWireServer, type WireServer } from '../../fixtures/wire';

/** A server that answers every path with `status`: no API at all. */
async function answersEverything(status: number): Promise<{ url: string; close(): Promise<void> }> {
  const s = http.createServer((_req, res) => { res.writeHead(status); res.end('nope'); });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, close: () => new Promise((r) => s.close(() => r())) };
}

describe('health: the best signal a server has', () => {
  let wire: WireServer;
  afterEach(async () => { await wire?.close(); });

  it('a server without /health that lists its models is up, and says how that was seen', async () => {
    wire = await startWireServer(); // OpenAI-compatible: /v1/models, no /health, no /metrics
    const target = { id: 'llama', provider: 'vllm', baseUrl: wire.url };
    const probe = await probeVllm(target);
    assert.equal(probe.reachable, true, probe.error);
    assert.equal(probe.via, '/models');
    const { state } = new HealthTracker().update(probe);
    assert.equal(state.state, 'up');
    assert.match(state.detail, /^up: lists its models \(it has no \/health\); metrics unavailable \(http:\/\/127\.0\.0\.1:\d+\/metrics answered 404\)$/);
    assert.doesNotMatch(state.detail, /down/);
    // Select Endpoint and the status bar say the state once ("up: up: ..." before).
    assert.match(healthLine(fixtureProfile(wire.url), state, true), /^up: lists its models/);
    assert.deepEqual(wire.requests.map((r) => r.path), ['/health', '/v1/models', '/metrics']);
    assert.ok(wire.requests.every((r) => !r.headers.authorization && !r.headers['api-key']), 'no credentials on health checks');
  });

  it('a models list that wants a key (401) still shows a server that is up', async () => {
    wire = await startWireServer({ apiKey: 'sk-lab', modelsRequireKey: true });
    const probe = await probeVllm({ id: 'guarded', provider: 'vllm', baseUrl: wire.url });
    assert.equal(probe.reachable, true, probe.error);
  });

  it('a server with neither /health nor a models list reads as down, naming both URLs', async () => {
    const none = await answersEverything(404);
    try {
      const probe = await probeVllm({ id: 'web', provider: 'vllm', baseUrl: none.url });
      assert.equal(probe.reachable, false);
      assert.equal(probe.error, `${none.url.replace('/v1', '')}/health answered 404 and ${none.url}/models answered 404: no OpenAI-compatible API there`);
    } finally {
      await none.close();
    }
  });

  it('modelsUrlOf keeps the API root and drops query and hash', () => {
    assert.equal(modelsUrlOf('http://gpu:8080/v1/'), 'http://gpu:8080/v1/models');
    assert.equal(modelsUrlOf('https://proxy/llm/v1?x=1#y'), 'https://proxy/llm/v1/models');
  });

  it('a request that worked makes a down or unchecked endpoint up at once', () => {
    const tracker = new HealthTracker();
    const first = tracker.noteRequest({ atMs: Date.parse('2026-11-30T10:00:05'), ok: true });
    assert.equal(first.changed, true);
    assert.equal(first.state.state, 'up');
    assert.equal(first.state.detail, 'a request answered at 10:00:05');
    const down = new HealthTracker();
    down.update({ atMs: 0, reachable: false, error: 'no answer from http://lab/health within 5 s' });
    assert.equal(down.state.state, 'down');
    assert.equal(down.noteRequest({ atMs: 1000, ok: true }).state.state, 'up');
  });

  it('a failed check right after a request worked does not call the endpoint down; a later one does', () => {
    const tracker = new HealthTracker();
    const t0 = Date.parse('2026-11-30T10:00:00');
    tracker.noteRequest({ atMs: t0, ok: true });
    const soon = tracker.update({ atMs: t0 + 5_000, reachable: false, error: 'no answer from http://lab/health within 5 s' }).state;
    assert.equal(soon.state, 'up');
    assert.equal(soon.detail, 'a request answered at 10:00:00; the last check failed (no answer from http://lab/health within 5 s)');
    const later = tracker.update({ atMs: t0 + REQUEST_TRUSTED_MS + 1, reachable: false, error: 'no server at http://lab/health: is vLLM running?' }).state;
    assert.equal(later.state, 'down');
  });

  it('a request that never reached the server makes it down; one the server refused (401) changes nothing', () => {
    const tracker = new HealthTracker();
    tracker.noteRequest({ atMs: 1, ok: true });
    assert.equal(tracker.noteRequest({ atMs: 2, ok: false }).changed, false);
    const lost = tracker.noteRequest({ atMs: 3, ok: false, unreachable: 'No server at http://lab/v1: is vLLM running?' });
    assert.equal(lost.state.state, 'down');
    assert.equal(lost.state.detail, 'No server at http://lab/v1: is vLLM running?');
  });

  it('the poller takes request outcomes for every profile, polled or not, and drops removed ones', () => {
    const updates: Array<{ id: string; state: HealthState }> = [];
    const poller = new HealthPoller({ intervalSeconds: 0, onUpdate: (id, state) => updates.push({ id, state }) });
    try {
      poller.setTargets([{ id: 'mai', provider: 'foundry', baseUrl: 'https://x.services.ai.azure.com' }], [{ id: 'local-vllm' }]);
      poller.noteRequest('mai', { atMs: 1, ok: true });
      poller.noteRequest('local-vllm', { atMs: 2, ok: true });
      poller.noteRequest('gone', { atMs: 3, ok: true });
      assert.deepEqual(updates.map((u) => [u.id, u.state.state]), [['mai', 'up'], ['local-vllm', 'up']]);
      poller.noteRequest('mai', { atMs: 4, ok: true });
      assert.equal(updates.length, 2, 'an unchanged state is not reported again');
      poller.setTargets([]);
      assert.equal(poller.state('mai'), undefined);
    } finally {
      poller.dispose();
    }
  });
});
