import assert from 'node:assert/strict';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import type { ChatMessage, ResolvedProfile, TurnResult } from '../../../src/core/model';
import { ASK, profile, SECRET, turn } from './helpers';

/** The assistant message a tool loop appends after a tool-call turn, reasoning included. */
function assistantOf(r: TurnResult): ChatMessage {
  return {
    role: 'assistant', content: r.content || null, reasoning: r.reasoning, reasoningDetails: r.reasoningDetails,
    tool_calls: r.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
  };
}

async function twoTurns(wire: WireServer, p: ResolvedProfile, first: string) {
  wire.enqueue(first, 'answer');
  const one = await turn({ profile: p, apiKey: SECRET });
  const messages: ChatMessage[] = [...ASK, assistantOf(one.result), ...one.result.toolCalls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: `result of ${c.name}` }))];
  const two = await turn({ profile: p, apiKey: SECRET, messages });
  const sent = wire.chatRequests.at(-1)!.body!.messages as Record<string, unknown>[];
  return { one: one.result, two: two.result, sentAssistant: sent.find((m) => m.role === 'assistant')!, sent };
}

describe('model client: a tool loop scripted turn by turn', () => {
  let wire: WireServer;
  before(async () => { wire = await startWireServer(); });
  after(async () => { await wire.close(); });

  it('vLLM: tool-call turn, then the answer; the reasoning goes back as reasoning_content with the tool results', async () => {
    const { one, two, sentAssistant, sent } = await twoTurns(wire, profile(wire.url), 'tools');
    assert.equal(one.finishReason, 'tool_calls');
    assert.equal(two.content, 'The config is parsed in src/a.ts.');
    assert.equal(sentAssistant.reasoning_content, 'I need both files.');
    assert.deepEqual((sentAssistant.tool_calls as { id: string }[]).map((c) => c.id), ['call_a', 'call_b']);
    assert.deepEqual(sent.filter((m) => m.role === 'tool').map((m) => m.tool_call_id), ['call_a', 'call_b']);
  });

  it('one scenario name scripts both turns (tool-loop), as `ponder ask --model tool-loop` uses it', async () => {
    const p = profile(wire.url, { model: 'tool-loop' });
    const one = await turn({ profile: p });
    assert.equal(one.result.finishReason, 'tool_calls');
    const two = await turn({ profile: p, messages: [...ASK, assistantOf(one.result)] });
    assert.equal(two.result.content, 'The config is parsed in src/a.ts.');
  });

  it('http-503-then-ok chosen by model name: one retry event, then the answer', async () => {
    const { result, events } = await turn({ profile: profile(wire.url, { model: 'http-503-then-ok', maxRetries: 2 }), sleep: async () => {} });
    assert.equal(events.filter((e) => e.type === 'retry').length, 1);
    assert.equal(result.content, 'The answer is 4.');
  });

  it('a dialect that rejects reasoning fields (Foundry): the tool-call turn goes back without them', async () => {
    const { sentAssistant } = await twoTurns(wire, profile(wire.url, { provider: 'foundry', auth: 'none' }), 'tools');
    assert.deepEqual(Object.keys(sentAssistant).sort(), ['content', 'role', 'tool_calls']);
  });

  it('OpenRouter: reasoning_details of the tool-call turn go back unchanged', async () => {
    // OpenRouter's reasoning blocks, then tool calls, in one scripted turn.
    const blocks = [{ type: 'reasoning.encrypted', data: 'opaque==', index: 0, format: 'anthropic-claude-v1' }];
    wire.enqueue({
      name: 'or-tools', steps: [
        { data: { choices: [{ index: 0, delta: { reasoning_details: blocks }, finish_reason: null }] } },
        { data: { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] }, finish_reason: 'tool_calls' }] } },
      ],
    });
    const p = profile(wire.url, { provider: 'openrouter', auth: 'none' });
    const one = await turn({ profile: p });
    wire.enqueue('answer');
    await turn({ profile: p, messages: [...ASK, assistantOf(one.result), { role: 'tool', tool_call_id: 'c1', content: 'x' }] });
    const sent = (wire.chatRequests.at(-1)!.body!.messages as Record<string, unknown>[]).find((m) => m.role === 'assistant')!;
    assert.deepEqual(sent.reasoning_details, blocks);
  });
});
