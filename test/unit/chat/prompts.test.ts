import assert from 'node:assert/strict';
import { commandInstructions, nextThinkingTick, userPrompt, chatQuery, formatFooter, reasoningSummary, thinkingLabel, formatUsd } from '../../../src/vscode/chat/prompts';

describe('chat prompts and the answer footer', () => {
  it('gives each slash command its task and a default question', () => {
    assert.match(commandInstructions('fix') ?? '', /diagnostics are listed/);
    assert.equal(commandInstructions(undefined), undefined);
    assert.equal(userPrompt('tests', '  '), 'Write tests for the selected code.');
    assert.equal(userPrompt(undefined, '  how does routing work? '), 'how does routing work?');
  });

  it('builds the Chat view query of a palette command', () => {
    assert.equal(chatQuery('explain', ''), '@ponder /explain');
    assert.equal(chatQuery(undefined, 'where is auth?'), '@ponder where is auth?');
  });

  it('counts thinking time in whole seconds, then minutes', () => {
    assert.equal(thinkingLabel(0, 12_900), 'Thinking… 12 s');
    assert.equal(thinkingLabel(0, 75_000), 'Thinking… 1 min 15 s');
  });

  it('says "Thinking…" again at thinning intervals: 5, 10, 20, 30, 45, 60 s, then each minute', () => {
    const ticks: number[] = [];
    for (let t = 0; ticks.length < 9; t = ticks[ticks.length - 1]) ticks.push(nextThinkingTick(t));
    assert.deepEqual(ticks, [5, 10, 20, 30, 45, 60, 120, 180, 240]);
    assert.equal(nextThinkingTick(7.5), 10);
  });

  it('shows endpoint, model, tokens, cost and time in the footer', () => {
    const line = formatFooter({
      endpoint: 'Team vLLM', model: 'mai-thinking-1',
      usage: { prompt: 12345, cached: 2000, completion: 678, reasoning: 400 },
      cost: { amount: 0.0042, source: 'gpu-hour' }, ms: 3210,
    });
    assert.equal(line, '**Team vLLM** · `mai-thinking-1` · 12,345 in (2,000 cached) · 678 out (400 reasoning) · $0.0042 (GPU time) · 3.2 s');
    assert.match(formatFooter({ endpoint: 'e', model: 'm', cost: { amount: null, source: 'unpriced' } }), /cost unknown/);
    assert.equal(formatUsd(1.266), '$1.27');
  });

  it('summarizes long reasoning at a sentence boundary', () => {
    const text = 'The user wants X. ' + 'Then I look at the parser and the lexer. '.repeat(20);
    const s = reasoningSummary(text, 100) ?? '';
    assert.ok(s.length <= 102, s);
    assert.match(s, /\. …$/);
    assert.equal(reasoningSummary('   '), undefined);
  });
});
