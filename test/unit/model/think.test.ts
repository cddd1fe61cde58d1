import assert from 'node:assert/strict';
import { ThinkSplitter } from '../../../src/core/model/think';

function run(parts: string[]): { reasoning: string; content: string } {
  let reasoning = '';
  let content = '';
  const s = new ThinkSplitter({ reasoning: (t) => { reasoning += t; }, content: (t) => { content += t; } });
  for (const p of parts) s.push(p);
  s.flush();
  return { reasoning, content };
}

describe('inline <think> splitting', () => {
  const text = '<think>Let me see: 2+2.</think>\n\nThe answer is 4.';

  it('separates reasoning from the answer when the text is split at every position into two chunks', () => {
    for (let i = 0; i <= text.length; i++) {
      assert.deepEqual(run([text.slice(0, i), text.slice(i)]), { reasoning: 'Let me see: 2+2.', content: 'The answer is 4.' }, `split at ${i}`);
    }
  });

  it('separates them when every character arrives as its own chunk', () => {
    assert.deepEqual(run([...text]), { reasoning: 'Let me see: 2+2.', content: 'The answer is 4.' });
  });

  it('separates them for every pair of split positions (three chunks)', () => {
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j++) {
        assert.deepEqual(run([text.slice(0, i), text.slice(i, j), text.slice(j)]), { reasoning: 'Let me see: 2+2.', content: 'The answer is 4.' }, `split at ${i},${j}`);
      }
    }
  });

  it('leaves an answer without tags alone, even one that starts with "<"', () => {
    assert.deepEqual(run(['<', 'div> is an element']), { reasoning: '', content: '<div> is an element' });
    assert.deepEqual(run(['Plain ', 'answer']), { reasoning: '', content: 'Plain answer' });
  });

  it('does not treat a <think> tag in the middle of an answer as reasoning', () => {
    assert.deepEqual(run(['Use the ', '<think> tag ', 'like </think> this']), { reasoning: '', content: 'Use the <think> tag like </think> this' });
  });

  it('keeps the reasoning when the stream ends before </think>, including a partial closing tag', () => {
    assert.deepEqual(run(['<think>unfinished </thi']), { reasoning: 'unfinished </thi', content: '' });
  });

  it('accepts leading whitespace before <think>', () => {
    assert.deepEqual(run(['\n', ' <think>r</think>', 'a']), { reasoning: 'r', content: 'a' });
  });
});
