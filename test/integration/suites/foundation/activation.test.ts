import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ponder, PONDER_ID } from '../../lib';

describe('Ponder installed from its .vsix', () => {
  it('is installed in the profile from the packaged .vsix, not a development folder', () => {
    const ext = ponder.extension();
    assert.equal(ext.id, PONDER_ID);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
    // Installed extensions live in the extensions folder as <publisher>.<name>-<version>.
    assert.match(ext.extensionUri.path, new RegExp(`/extensions/${PONDER_ID}-${ext.packageJSON.version}$`));
  });

  it('activates and reports how long activate() took', async () => {
    const api = await ponder.activate<{ activationMs: number }>();
    assert.equal(ponder.extension().isActive, true);
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs >= 0, `activationMs was ${api.activationMs}`);
  });
});
