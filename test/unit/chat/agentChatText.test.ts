import assert from 'node:assert/strict';
import type { EventOf, PonderEvent } from '../../../src/core/events';
import { applyAgentEvent, type AgentEvent, type AgentView } from '../../../src/core/protocol/agentView';
import { checkMarkdown, fenced, fileMarkdown, planMarkdown, plainMd, stepLine, summaryMarkdown } from '../../../src/vscode/agent/chatText';

const id = 'task-1';
const usage = { prompt: 1000, cached: 0, completion: 234, reasoning: 100, cacheWrite: 0 };

function fold(events: AgentEvent[]): AgentView {
  let v: AgentView | undefined;
  for (const e of events) v = applyAgentEvent(v, e);
  if (!v) throw new Error('no view');
  return v;
}

const start: EventOf<'agent.task.start'> = {
  type: 'agent.task.start', requestId: id, t: 1, taskId: id, task: 'Fix remove()', root: '/w', approve: 'commands',
  limits: { maxRounds: 40, maxTokens: 2_000_000, maxCost: 2, maxMs: 60_000 }, checks: [{ name: 'npm test', command: 'npm test' }], checkpoint: id,
};

describe('agent task in the Chat view (markdown)', () => {
  it('escapes model text so a plan item cannot become a link, heading or HTML', () => {
    const md = plainMd('# [click](command:evil) <img src=x> **bold**\nnext');
    assert.doesNotMatch(md, /(^|[^\\])\[click\]/);
    assert.doesNotMatch(md, /(^|[^\\])</);
    assert.ok(!md.includes('\n'), 'one line');
    assert.match(md, /^\\# \\\[click\\\]\\\(command:evil\\\)/);
  });

  it('fences content with a fence longer than any backtick run inside, so output cannot close it early', () => {
    const block = fenced('a\n````\nrun this', 'text');
    assert.match(block, /^`````text\n/);
    assert.match(block, /\n`````\n$/);
  });

  it('writes the plan as a checklist with how much is done', () => {
    const md = planMarkdown([
      { text: 'Read cart.ts', status: 'done' }, { text: 'Fix remove()', status: 'in_progress' }, { text: 'Add a test', status: 'pending' },
    ]);
    assert.match(md, /^\*\*Plan\*\* \(1 of 3 done\)/);
    assert.match(md, /- ✅ ~~Read cart\.ts~~/);
    assert.match(md, /- ▶️ \*\*Fix remove\\\(\\\)\*\*/);
    assert.match(md, /- ⬜ Add a test/);
    assert.equal(planMarkdown([]), '');
  });

  it('shows a file change with its diff, cut after the first lines', () => {
    const diff = ['--- a/src/cart.ts', '+++ b/src/cart.ts', '@@ -1 +1 @@', ...Array.from({ length: 100 }, (_, i) => `+line ${i}`)].join('\n');
    const md = fileMarkdown({ type: 'agent.file', requestId: id, t: 2, path: 'src/cart.ts', action: 'edited', diff, added: 100, removed: 0 }, 10);
    assert.match(md, /^\*\*src\/cart\.ts\*\* edited \(\+100 −0\)/);
    assert.match(md, /```diff\n--- a\/src\/cart\.ts/);
    assert.match(md, /… 93 more lines \(Review Agent Changes shows the whole diff\)/);
  });

  it('says a check passed, or failed with its exit code and output', () => {
    assert.equal(checkMarkdown({ type: 'agent.check', requestId: id, t: 3, name: 'npm test', command: 'npm test', state: 'running' }), '');
    assert.match(checkMarkdown({ type: 'agent.check', requestId: id, t: 3, name: 'npm test', command: 'npm test', state: 'passed', exitCode: 0, ms: 1234 }), /^✅ Check `npm test` passed in 1\.2 s/);
    const failed = checkMarkdown({ type: 'agent.check', requestId: id, t: 3, name: 'npm test', command: 'npm test', state: 'failed', exitCode: 1, output: 'not ok 1 - remove\n  expected 2', ms: 900 });
    assert.match(failed, /^❌ Check `npm test` failed \(exit code 1\) in 900 ms/, 'the same format as the sidebar');
    assert.match(failed, /```text\nnot ok 1 - remove\n {2}expected 2\n```/);
  });

  it('gives each step its tokens, cost and time', () => {
    const step: EventOf<'agent.step'> = { type: 'agent.step', requestId: id, t: 4, step: 2, usage, cost: 0.0012, ms: 2100, totalTokens: 2468, totalCost: 0.0024 };
    assert.match(stepLine(step), /^Step 2: 1,234 tokens · \$0\.0012 · 2\.1 s$/);
  });

  it('sums up how the task ended: plan, latest check results, files changed, cost per step and in total', () => {
    const events: PonderEvent[] = [
      start,
      { type: 'agent.plan', requestId: id, t: 2, items: [{ text: 'Fix remove()', status: 'done' }, { text: 'Add a test', status: 'done' }] },
      { type: 'agent.step', requestId: id, t: 3, step: 1, usage, cost: 0.001, ms: 1000, totalTokens: 1234, totalCost: 0.001 },
      { type: 'agent.file', requestId: id, t: 4, path: 'src/cart.ts', action: 'edited', diff: '', added: 1, removed: 1 },
      { type: 'agent.file', requestId: id, t: 5, path: 'test/cart.test.mjs', action: 'created', diff: '', added: 12, removed: 0 },
      { type: 'agent.check', requestId: id, t: 6, name: 'npm test', command: 'npm test', state: 'failed', exitCode: 1 },
      { type: 'agent.step', requestId: id, t: 7, step: 2, usage, cost: 0.002, ms: 1500, totalTokens: 2468, totalCost: 0.003 },
      { type: 'agent.check', requestId: id, t: 8, name: 'npm test', command: 'npm test', state: 'passed', exitCode: 0 },
      {
        type: 'agent.task.end', requestId: id, t: 9, taskId: id, reason: 'checks-passed', ok: true, message: 'The checks pass.', rounds: 2, usage, cost: 0.003, ms: 4000,
        files: [{ path: 'src/cart.ts', action: 'edited' }, { path: 'test/cart.test.mjs', action: 'created' }], checkpoint: id,
      },
    ];
    const md = summaryMarkdown(fold(events as AgentEvent[]));
    assert.match(md, /^✅ \*\*Done:\*\* The checks pass\./);
    assert.match(md, /\*\*Plan\*\* \(2 of 2 done\)/);
    assert.match(md, /\*\*Checks:\*\* ✅ `npm test`/, 'only the latest run of a check counts');
    assert.doesNotMatch(md, /❌/);
    assert.match(md, /\*\*Files changed \(2\):\*\*\n\n- `src\/cart\.ts` edited \(\+1 −1\)\n- `test\/cart\.test\.mjs` created \(\+12 −0\)/);
    assert.match(md, /\| 1 \| 1,234 \| \$0\.001 \| 1\.0 s \|\n\| 2 \| 1,234 \| \$0\.002 \| 1\.5 s \|/);
    assert.match(md, /\*\*Task cost:\*\* \$0\.003 over 2 steps · 4\.0 s/);
  });

  it('says when no checks are configured and when the cost is unknown', () => {
    const md = summaryMarkdown(fold([{ ...start, checks: [] }, { type: 'agent.step', requestId: id, t: 3, step: 1, usage, cost: null, ms: 1000, totalTokens: 1234, totalCost: null }]));
    assert.match(md, /\*\*Checks:\*\* none configured \(ponder\.agent\.checks\)/);
    assert.match(md, /\*\*Task cost:\*\* cost unknown over 1 step/);
  });
});
