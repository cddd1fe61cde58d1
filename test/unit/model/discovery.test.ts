import assert from 'node:assert/strict';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { listModels } from '../../../src/core/model';
import { profile, SECRET } from './helpers';

describe('model discovery', () => {
  let wire: WireServer;
  before(async () => {
    wire = await startWireServer({ apiKey: SECRET, modelsRequireKey: true, models: [{ id: 'Qwen/Qwen3-8B', max_model_len: 40960 }, { id: 'plain' }] });
  });
  after(async () => { await wire.close(); });

  it('lists models with vLLM max_model_len as the context window, sending the key', async () => {
    const models = await listModels(profile(wire.url, { auth: 'apiKey' }), SECRET);
    assert.deepEqual(models.map((m) => [m.id, m.contextWindow]), [['Qwen/Qwen3-8B', 40960], ['plain', undefined]]);
    assert.equal(wire.requests.at(-1)!.headers.authorization, `Bearer ${SECRET}`);
  });
});
