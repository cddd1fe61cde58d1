import assert from 'node:assert/strict';
import { closedPort, startWireServer, type WireServer } from '../../fixtures/wire';
import { checkHealth, clearHealthCache, listModels } from '../../../src/core/model';
import { profile, SECRET } from './helpers';

describe('model discovery and health', () => {
  let wire: WireServer;
  before(async () => {
    wire = await startWireServer({ apiKey: SECRET, modelsRequireKey: true, models: [{ id: 'Qwen/Qwen3-8B', max_model_len: 40960 }, { id: 'plain' }] });
  });
  after(async () => { await wire.close(); });
  beforeEach(() => clearHealthCache());

  it('lists models with vLLM max_model_len as the context window, sending the key', async () => {
    const models = await listModels(profile(wire.url, { auth: 'apiKey' }), SECRET);
    assert.deepEqual(models.map((m) => [m.id, m.contextWindow]), [['Qwen/Qwen3-8B', 40960], ['plain', undefined]]);
    assert.equal(wire.requests.at(-1)!.headers.authorization, `Bearer ${SECRET}`);
  });

  it('health: up with latency and models; cached, so a second ask makes no request', async () => {
    const p = profile(wire.url, { auth: 'apiKey' });
    const before = wire.requests.length;
    const h = await checkHealth(p, SECRET);
    assert.equal(h.up, true);
    assert.ok(typeof h.latencyMs === 'number');
    assert.equal(h.models?.length, 2);
    await checkHealth(p, SECRET);
    assert.equal(wire.requests.length, before + 1);
    await checkHealth(p, SECRET, { force: true });
    assert.equal(wire.requests.length, before + 2);
  });

  it('health: a server that wants a key is up, and the error says to set it', async () => {
    const h = await checkHealth(profile(wire.url, { auth: 'apiKey' }), undefined);
    assert.equal(h.up, true);
    assert.equal(h.error?.kind, 'auth');
    assert.ok(!JSON.stringify(h).includes(SECRET));
  });

  it('health: a wrong key the server echoes back in its 401 is scrubbed from the status it reports', async () => {
    const wrong = `${SECRET}-wrong`;
    const h = await checkHealth(profile(wire.url, { auth: 'apiKey' }), wrong);
    assert.equal(h.error?.kind, 'auth');
    assert.ok(wire.requests.at(-1)!.headers.authorization?.includes(wrong), 'the wrong key was sent');
    const shown = JSON.stringify(h);
    assert.ok(!shown.includes(SECRET), `the echoed key leaked into the health status: ${shown}`);
    assert.match(h.error!.message, /\*\*\*/, 'the echo is scrubbed, not dropped silently');
  });

  it('health: no server is down, naming the URL', async () => {
    const url = await closedPort();
    const h = await checkHealth(profile(url), undefined);
    assert.equal(h.up, false);
    assert.equal(h.error?.kind, 'connection');
    assert.match(h.error!.message, new RegExp(`No server at ${url.replace(/[.]/g, '\\.')}`));
  });
});
