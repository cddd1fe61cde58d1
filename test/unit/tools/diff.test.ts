import * as assert from 'node:assert/strict';
import { unifiedDiff } from '../../../src/core/tools/diff';

describe('unified diff for edit previews', () => {
  const text = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

  it('shows separate hunks with three lines of context and true line numbers', () => {
    const after = text.replace('line 3\n', 'line three\n').replace('line 25\n', 'line 25\nnew line\n');
    const d = unifiedDiff('x.txt', text, after, true);
    assert.equal(d.added, 2);
    assert.equal(d.removed, 1);
    assert.match(d.text, /^--- a\/x\.txt\n\+\+\+ b\/x\.txt\n@@ -1,6 \+1,6 @@\n line 1\n line 2\n-line 3\n\+line three\n line 4/);
    assert.match(d.text, /@@ -23,6 \+23,7 @@\n line 23\n line 24\n line 25\n\+new line\n line 26/);
  });

  it('a new file diffs against /dev/null', () => {
    const d = unifiedDiff('new.txt', '', 'a\nb\n', false);
    assert.equal(d.text, '--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+a\n+b');
  });
});
