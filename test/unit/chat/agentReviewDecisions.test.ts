import assert from 'node:assert/strict';
import { ReviewDecisions, type ReviewDecide } from '../../../src/vscode/agent/reviewDecisions';

interface File { path: string }

/** What the user sees of the keep-or-undo pick: the spinner, the list, and the messages. */
function pickUi() {
  const seen = { busy: [] as boolean[], lists: [] as string[][], warnings: [] as string[], errors: [] as string[] };
  return {
    seen,
    ui: {
      setBusy: (b: boolean) => { seen.busy.push(b); },
      changed: (left: readonly File[]) => { seen.lists.push(left.map((f) => f.path)); },
      warn: (m: string) => { seen.warnings.push(m); },
      error: (m: string) => { seen.errors.push(m); },
    },
  };
}

describe('agent review pick: keep or undo, one decision at a time', () => {
  const files = (): File[] => [{ path: 'src/cart.ts' }, { path: 'test/cart.test.mjs' }, { path: 'README.md' }];

  it('a decision that fails is said, naming the file and why, and the pick stops spinning with the file still listed', async () => {
    const { seen, ui } = pickUi();
    const f = files();
    const decisions = new ReviewDecisions(f, () => Promise.reject(new Error('EACCES: permission denied, open .../checkpoint.json')), ui);
    await decisions.act('keep', [f[1]]); // resolves: the failure is shown, not thrown into the listener
    assert.deepEqual(seen.errors, ['could not keep test/cart.test.mjs: EACCES: permission denied, open .../checkpoint.json']);
    assert.deepEqual(seen.busy, [true, false]);
    assert.deepEqual(decisions.remaining.map((x) => x.path), ['src/cart.ts', 'test/cart.test.mjs', 'README.md']);
    assert.deepEqual(seen.lists, []);
  });

  it('a second click while a decision is written is ignored, so no other file drops out of the list', async () => {
    const { seen, ui } = pickUi();
    const f = files();
    const calls: string[] = [];
    let finish: (v: string | undefined) => void = () => undefined;
    const decide: ReviewDecide = (c) => { calls.push(`${c.action} ${c.files.join(',')}`); return new Promise((r) => { finish = r; }); };
    const decisions = new ReviewDecisions(f, decide, ui);
    const first = decisions.act('keep', [f[1]]);
    const second = decisions.act('undo', [f[1]]); // the same row clicked again before the keep is written
    finish(undefined);
    await Promise.all([first, second]);
    assert.deepEqual(calls, ['keep test/cart.test.mjs']);
    assert.deepEqual(seen.lists, [['src/cart.ts', 'README.md']]);
    // The next decision, once the first is done, is taken.
    const third = decisions.act('undo', [f[2]]);
    finish(undefined);
    await third;
    assert.deepEqual(calls, ['keep test/cart.test.mjs', 'undo README.md']);
    assert.deepEqual(decisions.remaining.map((x) => x.path), ['src/cart.ts']);
  });

  it('a decision made only in part says why and leaves the files listed', async () => {
    const { seen, ui } = pickUi();
    const f = files();
    const decisions = new ReviewDecisions(f, () => Promise.resolve('src/cart.ts was changed since the task: left as it is'), ui);
    await decisions.act('undo', [f[0]]);
    assert.deepEqual(seen.warnings, ['src/cart.ts was changed since the task: left as it is']);
    assert.equal(decisions.remaining.length, 3);
    assert.deepEqual(seen.busy, [true, false]);
  });
});
