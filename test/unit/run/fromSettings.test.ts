import assert from 'node:assert/strict';
import { readSettings } from '../../../src/core/config/settings';
import { requestOptionsFromSettings } from '../../../src/core/run/fromSettings';

/** The one mapping from ponder.* settings to a request's options (`ponder ask` and the Chat view both use it). */
describe('requestOptionsFromSettings', () => {
  const raw = {
    'ponder.context.budget': 6000, 'ponder.context.exclude': ['dist/**'], 'ponder.context.maxFileSizeKB': 64, 'ponder.context.repoMap': false,
    'ponder.context.timeLimitMs': 900, 'ponder.tools.enabled': 'all', 'ponder.tools.autoApprove': ['propose_edit'], 'ponder.tools.maxRounds': 3,
    'ponder.tools.maxOutputTokens': 5000, 'ponder.chat.historyTokens': 1234, 'ponder.instructions.agentsMd': false, 'ponder.budget.daily': 2,
  };

  it('a trusted workspace gets what the settings say', () => {
    const { settings } = readSettings((k) => (raw as Record<string, unknown>)[k]);
    const o = requestOptionsFromSettings(settings, { trusted: true });
    assert.equal(o.contextBudget, 6000);
    assert.equal(o.historyTokens, 1234);
    assert.deepEqual(o.workspace, { exclude: ['dist/**'], maxFileSizeKB: 64, repoMap: false, timeLimitMs: 900, packOptions: { git: true } });
    assert.deepEqual(o.tools, { enabled: 'all', autoApprove: ['propose_edit'], maxRounds: 3, maxOutputTokens: 5000 });
    assert.equal(o.budget.daily, 2);
    assert.equal(o.budget.perRequest, null);
    assert.deepEqual(o.instructions.enabled, { agents: false, copilot: true, githubInstructions: true, ponder: true });
    assert.equal(o.instructions.isExcluded('/ws', 'dist/x.md'), true, 'ponder.context.exclude applies to instruction files');
  });

  it('Restricted Mode: no tools, no auto-approval, no git; a budget of 0 leaves the window to decide', () => {
    const { settings } = readSettings((k) => ({ ...raw, 'ponder.context.budget': 0 } as Record<string, unknown>)[k]);
    const o = requestOptionsFromSettings(settings, { trusted: false });
    assert.equal(o.tools.enabled, 'none');
    assert.deepEqual(o.tools.autoApprove, []);
    assert.deepEqual(o.workspace.packOptions, { git: false });
    assert.equal(o.contextBudget, undefined);
  });
});
