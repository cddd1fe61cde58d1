import assert from 'node:assert/strict';
import { SCENARIOS, startWireServer, type WireServer } from '../../fixtures/wire';
import { PonderEventSchema } from '../../../src/core/events';
import { ASK, errorsOf, profile, SECRET, text, turn } from './helpers';
import { EndpointMemory } from '../../../src/core/model/endpointMemory';

describe('model client: dialects against the wire server', () => {
  let wire: WireServer;
  before(async () => { wire = await startWireServer({ apiKey: SECRET }); });
  after(async () => { await wire.close(); });

  it('vLLM (delta.reasoning): streams reasoning then the answer, and usage when it asked for it', async () => {
    wire.enqueue('vllm');
    const { result, events } = await turn({ profile: profile(wire.url) });
    assert.equal(text(events, 'reasoning.delta'), 'The user asks for 2+2. That is 4.');
    assert.equal(text(events, 'content.delta'), 'The answer is 4.');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { prompt: 120, cached: 64, completion: 48, reasoning: 30, cacheWrite: 0 });
    assert.deepEqual(events.at(-1), { type: 'usage', usage: result.usage });
    // vLLM only sends usage when asked: the client must ask.
    assert.deepEqual(wire.chatRequests.at(-1)!.body!.stream_options, { include_usage: true });
    // Every event is valid under the shared event model once stamped.
    for (const e of events) PonderEventSchema.parse({ ...e, requestId: 'r', t: 1 });
    assert.ok(result.firstTokenMs !== undefined && result.firstTokenMs >= 0);
  });

  it('older vLLM (delta.reasoning_content): the same events', async () => {
    wire.enqueue('vllm-old');
    const { result, events } = await turn({ profile: profile(wire.url) });
    assert.equal(text(events, 'reasoning.delta'), 'The user asks for 2+2. That is 4.');
    assert.equal(result.content, 'The answer is 4.');
  });

  it('OpenRouter: reasoning once (not doubled by reasoning_details), blocks kept for sending back, cost and cache writes', async () => {
    wire.enqueue('openrouter');
    const { result, events } = await turn({ profile: profile(wire.url, { provider: 'openrouter', auth: 'apiKey' }), apiKey: SECRET });
    assert.equal(text(events, 'reasoning.delta'), 'Check the file first.');
    assert.equal(result.content, 'Done.');
    assert.deepEqual(result.reasoningDetails, [
      { type: 'reasoning.text', text: 'Check the file first.', index: 0, format: 'unknown', signature: 'sig-abc' },
      { type: 'reasoning.encrypted', data: 'gAAAAB-opaque', index: 1, format: 'unknown' },
    ]);
    assert.deepEqual(result.usage, { prompt: 120, cached: 64, completion: 48, reasoning: 30, cacheWrite: 16 });
    assert.deepEqual(result.providerCost, { cost: 0.00042, upstreamCost: undefined, isByok: false });
    const sent = wire.chatRequests.at(-1)!;
    assert.equal(sent.headers.authorization, `Bearer ${SECRET}`);
    assert.equal(sent.body!.max_tokens, 32768);
  });

  it('OpenRouter BYOK: cost 0 with the upstream cost as the real spend', async () => {
    wire.enqueue('openrouter-byok');
    const { result } = await turn({ profile: profile(wire.url, { provider: 'openrouter', auth: 'apiKey' }), apiKey: SECRET });
    assert.deepEqual(result.providerCost, { cost: 0, upstreamCost: 0.0019, isByok: true });
  });

  it('Foundry, OpenAI v1 route (models other than MAI): api-key header, no Bearer, max_completion_tokens, no temperature, filter-results chunk skipped', async () => {
    wire.enqueue('foundry');
    const { result, events } = await turn({ profile: profile(`${wire.origin}/openai/v1`, { provider: 'foundry', model: 'o4-mini', reasoningEffort: 'high' }), apiKey: SECRET, temperature: 0.2, extraBody: { top_p: 0.9 } });
    assert.equal(result.content, 'Foundry says hi.');
    assert.equal(errorsOf(events).length, 0);
    const sent = wire.chatRequests.at(-1)!;
    assert.equal(sent.headers['api-key'], SECRET);
    assert.equal(sent.headers.authorization, undefined);
    assert.equal(sent.body!.max_completion_tokens, 32768);
    assert.equal(sent.body!.max_tokens, undefined);
    assert.equal(sent.body!.temperature, undefined);
    assert.equal(sent.body!.top_p, undefined);
    assert.equal(sent.body!.reasoning_effort, 'high');
    assert.equal((sent.body!.messages as { role: string }[])[0].role, 'developer');
  });

  it('Foundry classic route: api-version query on /openai/deployments/NAME', async () => {
    wire.enqueue('foundry-classic');
    const base = `${wire.origin}/openai/deployments/mai`;
    const { result, events } = await turn({ profile: profile(base, { provider: 'foundry', model: 'mai-thinking-1' }), apiKey: SECRET });
    assert.equal(result.content, 'Classic route.', JSON.stringify(events));
    const sent = wire.chatRequests.at(-1)!;
    assert.equal(sent.path, '/openai/deployments/mai/chat/completions');
    assert.equal(sent.query['api-version'], '2025-04-01-preview');
  });

  it('Foundry with Entra ID: the token goes as Bearer, not api-key', async () => {
    wire.enqueue('vllm');
    await turn({ profile: profile(wire.url, { provider: 'foundry', auth: 'entra' }), apiKey: 'entra-token-xyz' });
    const sent = wire.chatRequests.at(-1)!;
    assert.equal(sent.headers.authorization, 'Bearer entra-token-xyz');
    assert.equal(sent.headers['api-key'], undefined);
  });

  it('content_filter: the partial answer is kept and an error says the filter cut it', async () => {
    wire.enqueue('content-filter');
    const { result, events } = await turn({ profile: profile(wire.url, { provider: 'foundry' }), apiKey: SECRET });
    assert.equal(result.content, 'Here is the start');
    assert.equal(result.finishReason, 'content_filter');
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'content-filter');
    assert.match(err.message, /content filter stopped the answer/);
  });

  it('finish_reason length: a warning says the answer was cut at the output limit and what to change', async () => {
    wire.enqueue('length');
    const { result, events } = await turn({ profile: profile(wire.url, { maxOutputTokens: 1000 }) });
    assert.equal(result.finishReason, 'length');
    const notice = events.find((e) => e.type === 'notice');
    assert.ok(notice && notice.type === 'notice');
    assert.match(notice.message, /answer was cut.*output limit of 1,000 tokens.*maxOutputTokens.*"test"/);
  });

  it('inline <think> tags split across chunks (and the SSE bytes split one at a time) become reasoning', async () => {
    wire.enqueue('think');
    let r = await turn({ profile: profile(wire.url) });
    assert.equal(r.result.reasoning, 'Let me see: 2+2 ');
    assert.equal(r.result.content, 'It is 4.');
    wire.enqueue({ ...SCENARIOS.find((s) => s.name === 'think')!, name: 'think-bytes', splitEvery: 7 });
    r = await turn({ profile: profile(wire.url) });
    assert.equal(text(r.events, 'reasoning.delta'), 'Let me see: 2+2 ');
    assert.equal(text(r.events, 'content.delta'), 'It is 4.');
  });

  it('multi-byte text split at every byte of the SSE stream arrives intact', async () => {
    const text = 'naïve café 😀 — 完成';
    wire.enqueue({ name: 'utf8-bytes', splitEvery: 1, steps: [{ data: { choices: [{ index: 0, delta: { reasoning: text }, finish_reason: null }] } }, { data: { choices: [{ index: 0, delta: { content: text }, finish_reason: 'stop' }] } }] });
    const { result } = await turn({ profile: profile(wire.url) });
    assert.equal(result.reasoning, text);
    assert.equal(result.content, text);
  });

  it('interleaved tool calls are assembled by index and emitted complete, in order', async () => {
    wire.enqueue('tools');
    const { result, events } = await turn({ profile: profile(wire.url), tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }] });
    assert.equal(result.finishReason, 'tool_calls');
    const calls = events.filter((e) => e.type === 'tool.call');
    assert.deepEqual(calls, [
      { type: 'tool.call', id: 'call_a', name: 'read_file', arguments: '{"path":"src/a.ts"}' },
      { type: 'tool.call', id: 'call_b', name: 'search', arguments: '{"query":"parseConfig"}' },
    ]);
    assert.deepEqual(result.toolCalls.map((c) => c.name), ['read_file', 'search']);
    assert.equal((wire.chatRequests.at(-1)!.body!.tools as unknown[]).length, 1);
  });

  it('keep-alive comments, empty data lines, unknown fields and a missing [DONE] are tolerated', async () => {
    wire.enqueue('keepalive');
    const { result, events } = await turn({ profile: profile(wire.url) });
    assert.equal(result.content, 'Still here.');
    assert.equal(result.finishReason, 'stop');
    assert.equal(errorsOf(events).length, 0);
  });

  it('a model-less profile (the default local vLLM) uses the model the server lists', async () => {
    wire.enqueue('vllm');
    const memory = new EndpointMemory();
    const { result } = await turn({ profile: profile(wire.url, { model: undefined }), memory });
    assert.equal(result.model, 'test-model');
    assert.equal(wire.chatRequests.at(-1)!.body!.model, 'test-model');
    // The next turn (a tool loop) reuses it without asking /models again.
    const lists = wire.requests.filter((r) => r.path.endsWith('/models')).length;
    wire.enqueue('vllm');
    await turn({ profile: profile(wire.url, { model: undefined }), memory });
    assert.equal(wire.requests.filter((r) => r.path.endsWith('/models')).length, lists);
  });

  it('a hosted provider with no model in the profile is a config error, not a guess', async () => {
    const before = wire.requests.length;
    const { events } = await turn({ profile: profile(wire.url, { provider: 'fireworks', model: undefined, auth: 'none' }) });
    assert.equal(wire.requests.length, before);
    assert.match(errorsOf(events)[0].message, /Profile "test" names no "model"/);
  });

  it('the scenario can be chosen by the model name (as `ponder ask --model tools` would)', async () => {
    const { result } = await turn({ profile: profile(wire.url, { model: 'scenario:tools' }) });
    assert.equal(result.toolCalls.length, 2);
  });

  it('messages: developer becomes system where the dialect wants it', async () => {
    wire.enqueue('vllm');
    await turn({ profile: profile(wire.url), messages: ASK });
    assert.deepEqual((wire.chatRequests.at(-1)!.body!.messages as { role: string }[]).map((m) => m.role), ['system', 'user']);
  });
});
