import assert from 'node:assert/strict';
import { RunningRequests } from '../../../src/vscode/chat/runningRequests';

describe('running requests (ponder.cancelRequest)', () => {
  it('cancels by id, or the newest when no id is given, and reports the running state', () => {
    const states: boolean[] = [];
    const running = new RunningRequests((s) => states.push(s));
    const a = running.start('a');
    const b = running.start('b');
    assert.equal(running.cancel(), 'b');
    assert.equal(b.signal.aborted, true);
    assert.equal(a.signal.aborted, false);
    assert.equal(running.cancel('a'), 'a');
    assert.equal(a.signal.aborted, true);
    running.finish('a');
    running.finish('b');
    assert.deepEqual(states, [true, false]);
    assert.equal(running.cancel(), undefined, 'nothing left to cancel');
  });
});
