import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

describe('model layer loading', () => {
  it('does not load the openai SDK until the first request (activation stays cheap)', () => {
    // A fresh process: import the whole model layer, resolve a profile, then look at what loaded.
    const script = `
      const m = require('./src/core/model');
      m.resolveProfile(undefined);
      const before = Object.keys(require.cache).some((k) => k.includes('node_modules/openai/'));
      require('./src/core/model/sdk').loadSdk().then(() => {
        const after = Object.keys(require.cache).some((k) => k.includes('node_modules/openai/'));
        process.stdout.write(JSON.stringify({ before, after }));
      });`;
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: process.cwd(), encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { before: false, after: true });
  });
});
