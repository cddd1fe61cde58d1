import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ponder } from '../../lib';

describe('Ponder commands', () => {
  before(async () => {
    await ponder.activate();
  });

  it('registers every command package.json contributes', async () => {
    const contributed = (ponder.manifest().contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 12, `expected the full command list in the manifest, got ${contributed.length}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered after activation: ${missing.join(', ')}`);
  });

  it('gives every palette command the "Ponder" category and a title', () => {
    for (const c of ponder.manifest().contributes.commands as { command: string; title?: string; category?: string }[]) {
      assert.equal(c.category, 'Ponder', `${c.command} category`);
      assert.ok(c.title && c.title.length > 3, `${c.command} needs a title`);
    }
  });

  it('opens the Ponder view container from its activity-bar command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('workbench.view.extension.ponder'), 'the activity-bar container "ponder" is not contributed');
    assert.ok(registered.has('ponder.trace.focus'), 'the view "ponder.trace" is not contributed');
  });
});
