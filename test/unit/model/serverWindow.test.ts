import * as assert from 'node:assert/strict';
import { resolveProfile } from '../../../src/core/model/profiles';
import { applyServerWindow } from '../../../src/core/model/serverWindow';
import { closedPort, startWireServer, type WireServer } from '../../fixtures/wire';

/** The one "apply the server's window" the CLI and the extension share. */
describe("applyServerWindow: the server's own window replaces an assumed one", () => {
  let wire: WireServer;
  before(async () => { wire = await startWireServer({ models: [{ id: 'small-model', max_model_len: 6144 }] }); });
  after(async () => { await wire.close(); });
  beforeEach(() => { wire.requests.length = 0; });

  it('asks /models for an assumed window: 6,144 from max_model_len, the output reserve scaled to 1,536, the model named', async () => {
    const assumed = resolveProfile({ id: 'local', provider: 'vllm', baseUrl: wire.url });
    assert.equal(assumed.contextWindowSource, 'default');
    const { profile, error } = await applyServerWindow(assumed, undefined);
    assert.equal(error, undefined);
    assert.equal(profile.contextWindow, 6144);
    assert.equal(profile.contextWindowSource, 'server');
    assert.equal(profile.maxOutputTokens, 1536);
    assert.equal(profile.model, 'small-model');
    assert.equal(wire.requests.filter((r) => r.path.endsWith('/models')).length, 1);
  });

  it("never overrides a profile's own window, and does not ask", async () => {
    const set = resolveProfile({ id: 'local', provider: 'vllm', baseUrl: wire.url, contextWindow: 16384 });
    const { profile } = await applyServerWindow(set, undefined);
    assert.equal(profile.contextWindow, 16384);
    assert.equal(wire.requests.length, 0);
  });

  it('a server that does not answer leaves the profile as it was and says why', async () => {
    const assumed = resolveProfile({ id: 'off', provider: 'vllm', baseUrl: await closedPort() });
    const r = await applyServerWindow(assumed, undefined);
    assert.equal(r.profile, assumed);
    assert.ok(r.error);
  });
});
