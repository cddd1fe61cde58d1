import * as assert from 'node:assert/strict';
import { logs, ponder, settings, ui, waitFor } from '../../lib';

interface Api {
  services: { settings: { get(key: string): unknown } };
}

describe('Ponder settings validation', () => {
  let api: Api;
  before(async () => {
    api = await ponder.activate<Api>();
  });
  afterEach(() => settings.restore());

  it('reports a bad value by the setting name, in the log and a warning, and uses the default', async () => {
    await settings.set('ponder.tools.maxRounds', 'lots');
    const log = await logs.waitFor(/\[warning\].*ponder\.tools\.maxRounds/, { timeoutMs: 15_000 });
    assert.match(log, /ponder\.tools\.maxRounds/);
    const toast = await waitFor(async () => (await ui.notifications()).find((n) => n.message.includes('ponder.tools.maxRounds')), {
      message: 'a notification naming ponder.tools.maxRounds',
    });
    assert.equal(toast.severity, 'warning');
    assert.equal(api.services.settings.get('ponder.tools.maxRounds'), 8, 'the default (8) replaces the bad value');
  });

  it('reports the same bad value only once', async () => {
    await settings.set('ponder.context.maxFileSizeKB', -5);
    await logs.waitFor(/ponder\.context\.maxFileSizeKB/);
    // Another (valid) change re-reads every setting; the bad one must not be reported again.
    await settings.set('ponder.trace.maxRequests', 150);
    await waitFor(() => api.services.settings.get('ponder.trace.maxRequests') === 150, { message: 'the valid change to apply' });
    const count = logs.read().split('\n').filter((l) => l.includes('ponder.context.maxFileSizeKB')).length;
    assert.equal(count, 1, `reported ${count} times:\n${logs.read()}`);
  });
});
