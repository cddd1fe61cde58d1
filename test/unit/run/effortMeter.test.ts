import * as assert from 'node:assert/strict';
import { countTokens } from '../../../src/core/tokens';
import { effortControl, withEffort } from '../../../src/core/model/effort';
import { resolveProfile } from '../../../src/core/model/profiles';
import { compactHistory } from '../../../src/core/run/compact';
import { followupFit, meterTotal, type Meter } from '../../../src/core/run/meter';
import { meterLine } from '../../../src/core/run/meterText';
import { runRequest } from '../../../src/core/run/runRequest';
import type { HistoryTurn } from '../../../src/core/run/types';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { bodyMessages, fixtureProfile, ofType } from './helpers';

describe('reasoning effort per request', () => {
  let wire: WireServer;
  before(async () => { wire = await startWireServer(); });
  after(async () => { await wire.close(); });
  beforeEach(() => { wire.requests.length = 0; });

  it('is offered where the endpoint takes one, and not for MAI-Thinking-1 on Foundry or plain OpenAI-compatible servers', () => {
    const p = (input: Record<string, unknown>) => resolveProfile({ id: 'x', ...input } as Parameters<typeof resolveProfile>[0]);
    assert.equal(effortControl(p({ provider: 'vllm' })), 'reasoning_effort');
    assert.equal(effortControl(p({ provider: 'openrouter' })), 'openrouter');
    assert.equal(effortControl(p({ provider: 'openai-compatible' })), undefined);
    assert.equal(effortControl(p({ provider: 'foundry', baseUrl: 'https://r.services.ai.azure.com/mai/v1' })), undefined);
    assert.equal(effortControl(p({ provider: 'foundry', baseUrl: 'https://r.services.ai.azure.com', model: 'mai-thinking-1' })), undefined);
    assert.equal(effortControl(p({ provider: 'foundry', baseUrl: 'https://r.openai.azure.com/openai/v1', model: 'o4-mini' })), 'reasoning_effort');
    const mai = p({ provider: 'foundry', baseUrl: 'https://r.services.ai.azure.com/mai/v1' });
    assert.equal(withEffort(mai, 'high'), mai);
  });

  const send = async (profile: ReturnType<typeof fixtureProfile>, effort: 'low' | 'high' | undefined) => {
    wire.requests.length = 0;
    wire.enqueue('vllm');
    const r = await runRequest({ prompt: 'Think hard', command: 'ask', endpoint: { profile }, getApiKey: async () => 'k', reasoningEffort: effort });
    return { body: wire.chatRequests[0].body as Record<string, unknown>, start: ofType(r.events, 'request.start')[0] };
  };

  it('vLLM receives reasoning_effort, OpenRouter reasoning.effort; the choice is in request.start (the trace)', async () => {
    const v = await send(fixtureProfile(wire.url), 'high');
    assert.equal(v.body.reasoning_effort, 'high');
    assert.equal(v.start.effort, 'high');
    const o = await send(fixtureProfile(wire.url, { provider: 'openrouter' }), 'low');
    assert.deepEqual(o.body.reasoning, { effort: 'low' });
    assert.equal(o.body.reasoning_effort, undefined);
    assert.equal(o.start.effort, 'low');
    const none = await send(fixtureProfile(wire.url), undefined);
    assert.equal(none.body.reasoning_effort, undefined);
    assert.equal(none.start.effort, undefined);
  });

  it('MAI on Foundry receives no effort field even when one is picked', async () => {
    const mai = fixtureProfile(`${wire.url.replace(/\/v1$/, '')}/mai/v1`, { provider: 'foundry', model: 'mai-thinking-1' });
    const m = await send(mai, 'high');
    assert.equal(m.body.reasoning_effort, undefined);
    assert.equal(m.body.reasoning, undefined);
    assert.equal(m.start.effort, undefined);
  });
});

describe('context meter', () => {
  let wire: WireServer;
  before(async () => { wire = await startWireServer(); });
  after(async () => { await wire.close(); });

  const history: HistoryTurn[] = [
    { role: 'user', content: 'How is the config parsed?' },
    { role: 'assistant', content: 'With parseConfig in src/config.ts. '.repeat(20) },
  ];

  it('breaks the prompt down (instructions, history, tools, context, question) against the window and reserve', async () => {
    wire.requests.length = 0;
    wire.enqueue('vllm');
    const r = await runRequest({ prompt: 'And where is it validated?', command: 'ask', endpoint: { profile: fixtureProfile(wire.url) }, getApiKey: async () => undefined, history });
    const m = ofType(r.events, 'prompt.meter')[0];
    assert.equal(m.window, 32768);
    assert.equal(m.outputReserve, 2048);
    assert.equal(m.total, meterTotal(m.parts));
    assert.ok(m.parts.history > 0 && m.parts.instructions > 0 && m.parts.prompt > 0);
    assert.equal(m.historyAll, countTokens(history[0].content) + countTokens(history[1].content) + 8);
    // The meter is what was sent: the messages' tokens within a small framing margin.
    const sent = bodyMessages(wire.chatRequests[0]).reduce((n, x) => n + countTokens(String(x.content ?? '')), 0);
    assert.ok(Math.abs(m.total - sent) <= 80, `${m.total} vs ${sent}`);
    const types = r.events.map((e) => e.type);
    assert.ok(types.indexOf('prompt.meter') < types.indexOf('content.delta'), 'known before the answer streams');
  });

  const meter = (over: Partial<Meter> = {}): Meter => ({
    window: 32768, outputReserve: 2048, total: 5000, historyAll: 1000, historyBudget: 8000,
    parts: { instructions: 400, repoInstructions: 0, history: 1000, tools: 1200, context: 2300, prompt: 100 }, ...over,
  });

  it('says a follow-up fits while the conversation is within the history budget and leaves room for context', () => {
    assert.deepEqual(followupFit(meter(), 500), { fits: true, nextHistory: 1500 });
  });

  it('warns when the next follow-up would push the conversation past ponder.chat.historyTokens', () => {
    const f = followupFit(meter({ historyAll: 7800 }), 500);
    assert.equal(f.fits, false);
    assert.match(f.reason ?? '', /over the history budget \(8000, ponder\.chat\.historyTokens\)/);
  });

  it('warns when a small window would leave no room for context', () => {
    const f = followupFit(meter({ window: 6144, outputReserve: 2048, historyBudget: 8000, historyAll: 1500 }), 600);
    assert.equal(f.fits, false);
    assert.match(f.reason ?? '', /only \d+ tokens of the 6144-token window/);
  });

  it('reads as one footer line with the parts and the reserve', () => {
    assert.equal(meterLine(meter()), 'Window: 5,000 of 30,720 tokens (16%): context 2,300 · instructions 400 · history 1,000 · tools 1,200 · question 100; 2,048 kept for the answer');
  });

  it('"Summarize Earlier Turns" keeps later turns whole and replaces earlier ones with the questions asked', () => {
    const turns: HistoryTurn[] = [
      { role: 'user', content: 'First question about parsing' }, { role: 'assistant', content: 'Long answer '.repeat(200) },
      { role: 'user', content: 'Second question about validation' }, { role: 'assistant', content: 'Another long answer '.repeat(200) },
      { role: 'user', content: 'Third, after the summary' }, { role: 'assistant', content: 'Short.' },
    ];
    const out = compactHistory(turns, 4, countTokens);
    assert.equal(out.length, 4);
    assert.match(out[0].content, /Summary of 4 earlier turns[\s\S]*Second question about validation[\s\S]*First question about parsing/);
    assert.ok(!out[0].content.includes('Long answer'));
    assert.deepEqual(out.slice(2), turns.slice(4));
    assert.ok(countTokens(out[0].content) <= 300);
  });
});
