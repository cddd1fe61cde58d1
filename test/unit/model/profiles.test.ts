import assert from 'node:assert/strict';
import { parseEndpointProfiles } from '../../../src/core/config/settings';
import { buildRequestBody, defaultProfile, resolveProfile, withServerContextWindow } from '../../../src/core/model';
import type { ChatMessage } from '../../../src/core/model';

const toolTurn: ChatMessage[] = [
  { role: 'user', content: 'Read a.ts' },
  { role: 'assistant', content: null, reasoning: 'I should read it.', reasoningDetails: [{ type: 'reasoning.encrypted', data: 'opaque', index: 0 }], tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] },
  { role: 'tool', tool_call_id: 'c1', content: 'export const a = 1;' },
];
const assistantOf = (body: Record<string, unknown>) => (body.messages as Record<string, unknown>[])[1];

describe('endpoint profiles and presets', () => {
  it('no profile configured: a local vLLM at http://localhost:8000/v1, no key, model from the server', () => {
    const p = defaultProfile();
    assert.equal(p.baseUrl, 'http://localhost:8000/v1');
    assert.equal(p.provider, 'vllm');
    assert.equal(p.auth, 'none');
    assert.equal(p.model, undefined);
    assert.deepEqual(resolveProfile(undefined), p);
  });

  it('MAI-Thinking-1 presets: 256K window, the provider model ids, and no made-up price', () => {
    const foundry = resolveProfile({ id: 'f', provider: 'foundry', baseUrl: 'https://r.openai.azure.com/openai/v1' });
    const openrouter = resolveProfile({ id: 'o', provider: 'openrouter' });
    assert.equal(foundry.model, 'mai-thinking-1');
    assert.equal(openrouter.model, 'microsoft/mai-thinking-1');
    assert.equal(openrouter.baseUrl, 'https://openrouter.ai/api/v1');
    assert.equal(foundry.contextWindow, 262144);
    assert.equal(foundry.pricing, undefined);
    assert.equal(openrouter.pricing, undefined);
    assert.equal(foundry.authHeader, 'api-key');
    assert.equal(foundry.apiVersion, undefined, 'the v1 route takes no api-version');
  });

  it('a profile overrides its preset; the classic Azure route gets an api-version unless set', () => {
    const classic = resolveProfile({ id: 'c', provider: 'foundry', baseUrl: 'https://r.openai.azure.com/openai/deployments/mai/' });
    assert.equal(classic.baseUrl, 'https://r.openai.azure.com/openai/deployments/mai');
    assert.equal(classic.apiVersion, '2025-04-01-preview');
    const own = resolveProfile({ id: 'c', provider: 'foundry', baseUrl: 'https://r.openai.azure.com/openai/deployments/mai', apiVersion: '2024-10-21', contextWindow: 131072, sendReasoningBack: true, developerRole: 'system', maxRetries: 0 });
    assert.equal(own.apiVersion, '2024-10-21');
    assert.equal(own.contextWindow, 131072);
    assert.equal(own.contextWindowSource, 'profile');
    assert.equal(own.sendReasoningBack, true);
    assert.equal(own.developerRole, 'system');
    assert.equal(own.maxRetries, 0);
  });

  it('vLLM max_model_len replaces a default window, never one the profile set', () => {
    const models = [{ id: 'qwen', contextWindow: 40960 }];
    const p = withServerContextWindow(defaultProfile(), models);
    assert.equal(p.contextWindow, 40960);
    assert.equal(p.contextWindowSource, 'server');
    assert.equal(p.model, 'qwen');
    const fixed = resolveProfile({ id: 'v', provider: 'vllm', contextWindow: 8192 });
    assert.equal(withServerContextWindow(fixed, models).contextWindow, 8192);
  });

  it('settings profiles flow through parseEndpointProfiles into resolveProfile', () => {
    const { profiles, problems } = parseEndpointProfiles([{ id: 'team', provider: 'vllm', baseUrl: 'http://gpu:8000/v1', model: 'm' }]);
    assert.deepEqual(problems, []);
    assert.equal(resolveProfile(profiles[0]).baseUrl, 'http://gpu:8000/v1');
  });
});

describe('request body per dialect', () => {
  const body = (provider: 'foundry' | 'openrouter' | 'vllm' | 'openai-compatible' | 'fireworks', over = {}) =>
    buildRequestBody(resolveProfile({ id: 'x', provider, baseUrl: 'http://h/v1', reasoningEffort: 'high', ...over }), { model: 'm', messages: toolTurn, temperature: 0.3 });

  it('Foundry, OpenAI v1 route (models other than MAI): max_completion_tokens, reasoning_effort, no temperature, reasoning not sent back', () => {
    const b = body('foundry', { baseUrl: 'https://r.services.ai.azure.com/openai/v1', model: 'o4-mini' });
    assert.equal(b.max_completion_tokens, 32768);
    assert.equal(b.max_tokens, undefined);
    assert.equal(b.reasoning_effort, 'high');
    assert.equal(b.temperature, undefined);
    assert.deepEqual(Object.keys(assistantOf(b)).sort(), ['content', 'role', 'tool_calls']);
  });

  it('OpenRouter: reasoning {effort}, reasoning_details sent back unchanged on tool-call turns', () => {
    const b = body('openrouter');
    assert.deepEqual(b.reasoning, { effort: 'high' });
    assert.equal(b.reasoning_effort, undefined);
    assert.equal(b.max_tokens, 32768);
    assert.deepEqual(assistantOf(b).reasoning_details, [{ type: 'reasoning.encrypted', data: 'opaque', index: 0 }]);
    assert.equal(b.temperature, 0.3);
  });

  it('vLLM: reasoning_content sent back (chat templates read it), max_tokens, usage requested', () => {
    const b = body('vllm');
    assert.equal(assistantOf(b).reasoning_content, 'I should read it.');
    assert.equal(assistantOf(b).reasoningDetails, undefined, 'internal fields never go on the wire');
    assert.equal(b.max_tokens, 8192);
    assert.deepEqual(b.stream_options, { include_usage: true });
    assert.equal(b.stream, true);
  });

  it('a server that rejects reasoning fields: sendReasoningBack false sends none', () => {
    const b = body('vllm', { sendReasoningBack: false });
    assert.equal(assistantOf(b).reasoning_content, undefined);
    assert.equal(assistantOf(b).reasoning, undefined);
  });

  it('openai-compatible sends no effort unless the profile asks, then the common field', () => {
    assert.equal(buildRequestBody(resolveProfile({ id: 'x', provider: 'openai-compatible' }), { model: 'm', messages: toolTurn }).reasoning_effort, undefined);
    assert.equal(body('openai-compatible').reasoning_effort, 'high');
  });
});

describe('profile schema', () => {
  it('refuses a baseUrl that is not http(s), naming the profile and the field', () => {
    const { profiles, problems } = parseEndpointProfiles([{ id: 'odd', baseUrl: 'ftp://host/v1' }, { id: 'ok', baseUrl: 'https://host/v1' }]);
    assert.deepEqual(profiles.map((p) => p.id), ['ok']);
    assert.match(problems[0].message, /Profile "odd".*baseUrl: use an http:\/\/ or https:\/\/ URL/);
  });
});
