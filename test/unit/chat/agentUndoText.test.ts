import assert from 'node:assert/strict';
import { conflictQuestion, undoSummary } from '../../../src/vscode/agent/undoText';

describe('Undo Agent Changes: what it asks and says', () => {
  it('names the file the user changed after the agent, and offers to undo the others when there are others', () => {
    const q = conflictQuestion(['src/cart.ts'], new Set(), 2);
    assert.equal(q.message, 'You changed src/cart.ts after the agent did. Undo Agent Changes would overwrite your changes.');
    assert.equal(q.canSkip, true);
    assert.match(q.detail, /"Undo the Other Files Only" undoes the other 1 file and leaves this one as you have it\./);
    assert.deepEqual(q.paths, ['src/cart.ts']);
  });

  it('says unsaved editor changes would be discarded, and offers no "others" choice when there are none', () => {
    const q = conflictQuestion(['a.ts', 'b.ts'], new Set(['b.ts']), 2);
    assert.match(q.message, /^You changed 2 files after the agent did: a\.ts, b\.ts\./);
    assert.match(q.detail, /Unsaved changes in b\.ts would be discarded\./);
    assert.equal(q.canSkip, false);
    assert.doesNotMatch(q.detail, /Other Files Only/);
  });

  it('sums up what undo did, including what it left alone and what failed', () => {
    assert.equal(
      undoSummary({ restored: ['src/cart.ts'], removed: ['test/new.test.mjs'], conflicts: [{ path: 'src/x.ts', why: 'edited after the agent changed it' }], failed: [] }, ['src/y.ts']),
      'restored src/cart.ts; removed test/new.test.mjs (created by the agent); left src/y.ts, src/x.ts as you changed them.',
    );
    assert.equal(undoSummary({ restored: [], removed: [], conflicts: [], failed: [{ path: 'a', error: 'EACCES' }] }), 'could not undo a (EACCES).');
    assert.equal(undoSummary({ restored: [], removed: [], conflicts: [], failed: [] }), 'every file already matched how it was before the task.');
  });
});
