// Run by bench/activation.mjs inside the real extension host, once per window load.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ponder } from '../../test/integration/lib';

describe('activation benchmark', () => {
  it('reads how long activate() took in this extension host', async () => {
    const api = await ponder.activate<{ activationMs: number }>();
    assert.equal(typeof api.activationMs, 'number');
    // Parsed by bench/activation.mjs from the runner's output.
    console.log(`PONDER_ACTIVATION_MS=${api.activationMs}`);
  });

  it('times loading the bundle (parse and top-level code), which VS Code pays before activate()', () => {
    const main = path.join(ponder.extension().extensionPath, 'dist', 'extension.js');
    const load = createRequire(main);
    delete load.cache[main];
    const t0 = performance.now();
    load(main);
    console.log(`PONDER_LOAD_MS=${performance.now() - t0}`);
  });
});
