import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EndpointProfileSchema, FOUNDRY_APIS } from '../../../src/core/config/profile';
import { buildRequestBody, hasEffortControl, resolveProfile } from '../../../src/core/model';
import type { ChatMessage } from '../../../src/core/model';
import { reasoningEndpointKey } from '../../../src/core/model/profiles';

const root = path.join(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const foundry = (baseUrl: string, over: Record<string, unknown> = {}) => resolveProfile(EndpointProfileSchema.parse({ id: 'mai', provider: 'foundry', baseUrl, ...over }));

describe('Foundry: which API a profile is on, and the URL it calls', () => {
  it('the endpoint the portal shows plus the deployment name reaches MAI\'s route /mai/v1', () => {
    const p = foundry('https://contoso.services.ai.azure.com', { model: 'MAI-Thinking-1' });
    assert.equal(p.foundryApi, 'mai');
    assert.equal(p.baseUrl, 'https://contoso.services.ai.azure.com/mai/v1');
    assert.equal(p.model, 'MAI-Thinking-1', 'model stays the deployment name');
    assert.equal(p.apiVersion, undefined);
    // A trailing slash, as copied from the portal, makes no difference.
    assert.equal(foundry('https://contoso.services.ai.azure.com/', { model: 'mai-prod' }).baseUrl, 'https://contoso.services.ai.azure.com/mai/v1');
  });

  it('the full /mai/v1 URL works too, whatever the deployment is called', () => {
    const p = foundry('https://contoso.services.ai.azure.com/mai/v1/', { model: 'team-thinker' });
    assert.equal(p.foundryApi, 'mai');
    assert.equal(p.baseUrl, 'https://contoso.services.ai.azure.com/mai/v1');
  });

  it('other Foundry models keep their routes: /openai/v1 and the classic /openai/deployments/NAME with api-version', () => {
    const v1 = foundry('https://contoso.services.ai.azure.com/openai/v1', { model: 'gpt-5-mini' });
    assert.equal(v1.foundryApi, 'openai');
    assert.equal(v1.baseUrl, 'https://contoso.services.ai.azure.com/openai/v1');
    assert.equal(v1.encryptedReasoning, false);
    const classic = foundry('https://contoso.openai.azure.com/openai/deployments/o4', { model: 'o4' });
    assert.equal(classic.foundryApi, 'classic');
    assert.equal(classic.apiVersion, '2025-04-01-preview');
    // A bare openai.azure.com resource serves the OpenAI routes, not MAI's.
    assert.equal(foundry('https://contoso.openai.azure.com').baseUrl, 'https://contoso.openai.azure.com/openai/v1');
    // A bare resource endpoint with a deployment that is not MAI: the OpenAI v1 route.
    assert.equal(foundry('https://contoso.services.ai.azure.com', { model: 'gpt-5-mini' }).baseUrl, 'https://contoso.services.ai.azure.com/openai/v1');
  });

  it('"foundryApi" says it explicitly, and wins over the guess from the deployment name', () => {
    const p = foundry('https://contoso.services.ai.azure.com', { model: 'my-deployment', foundryApi: 'mai' });
    assert.equal(p.baseUrl, 'https://contoso.services.ai.azure.com/mai/v1');
    assert.equal(foundry('https://contoso.services.ai.azure.com', { model: 'mai-lookalike', foundryApi: 'openai' }).baseUrl, 'https://contoso.services.ai.azure.com/openai/v1');
    assert.throws(() => EndpointProfileSchema.parse({ id: 'x', provider: 'foundry', foundryApi: 'responses' }));
  });

  it('package.json describes "foundryApi" with the same values the schema takes, and the README example uses the portal shape', () => {
    const items = (pkg.contributes.configuration.properties['ponder.endpoints'] as { items: { properties: Record<string, { enum?: string[]; markdownDescription?: string }> } }).items.properties;
    assert.deepEqual(items.foundryApi.enum, [...FOUNDRY_APIS]);
    assert.match(items.foundryApi.markdownDescription ?? '', /\/mai\/v1/);
    assert.match(items.baseUrl.markdownDescription ?? '', /services\.ai\.azure\.com/);
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = /MAI-Thinking-1 on Microsoft Foundry[\s\S]*?```jsonc([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    assert.match(example, /"baseUrl": "https:\/\/<your-resource>\.services\.ai\.azure\.com"/);
    assert.doesNotMatch(example, /openai\/v1|reasoningEffort/);
  });
});

describe('MAI on Foundry: only the documented parameters are sent', () => {
  const history: ChatMessage[] = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Read a.ts' },
    { role: 'assistant', content: null, reasoning: 'text reasoning from elsewhere', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: '{}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: 'x' },
  ];

  it('max_completion_tokens (capped at 64K), no max_tokens, stream_options, sampling or reasoning_effort, no extra fields', () => {
    const p = foundry('https://contoso.services.ai.azure.com', { model: 'mai-thinking-1', maxOutputTokens: 100_000, reasoningEffort: 'high' });
    assert.equal(p.maxOutputTokens, 64_000, 'output is capped at 64K');
    assert.equal(hasEffortControl(p), false, 'MAI on Foundry documents no reasoning-effort control');
    const body = buildRequestBody(p, { model: 'mai-thinking-1', messages: history, tools: [{ type: 'function', function: { name: 'read_file', parameters: {} } }], temperature: 0.2, extraBody: { top_p: 0.9, tool_choice: 'required', seed: 1 } });
    assert.deepEqual(Object.keys(body).sort(), ['max_completion_tokens', 'messages', 'model', 'stream', 'tools']);
    assert.equal(body.max_completion_tokens, 64_000);
    assert.deepEqual((body.messages as { role: string }[]).map((m) => m.role), ['system', 'user', 'assistant', 'tool']);
    assert.equal((body.messages as Record<string, unknown>[])[2].reasoning, undefined, 'reasoning text is not sent to MAI');
  });

  it('reasoning_display "encrypted" when the conversation continues; the opaque value goes back only to the endpoint it came from', () => {
    const p = foundry('https://contoso.services.ai.azure.com', { model: 'mai-thinking-1' });
    const value = { encrypted_content: 'gAAAAB-opaque', content: null, summary: null };
    const msgs: ChatMessage[] = [
      { role: 'user', content: 'Q1' },
      { role: 'assistant', content: 'A1', reasoningState: { endpoint: reasoningEndpointKey(p), value } },
      { role: 'user', content: 'Q2' },
    ];
    const body = buildRequestBody(p, { model: 'mai-thinking-1', messages: msgs, keepReasoning: true });
    assert.equal(body.reasoning_display, 'encrypted');
    assert.deepEqual((body.messages as Record<string, unknown>[])[1], { role: 'assistant', content: 'A1', reasoning: value });
    assert.equal(buildRequestBody(p, { model: 'mai-thinking-1', messages: msgs }).reasoning_display, undefined, 'a one-off request does not ask for it');
    // Another endpoint (a fallback profile, another deployment) never gets it.
    const other = foundry('https://fabrikam.services.ai.azure.com', { model: 'mai-thinking-1' });
    assert.equal((buildRequestBody(other, { model: 'mai-thinking-1', messages: msgs, keepReasoning: true }).messages as Record<string, unknown>[])[1].reasoning, undefined);
    const vllm = resolveProfile({ id: 'v', provider: 'vllm', baseUrl: 'http://h/v1' });
    const toVllm = buildRequestBody(vllm, { model: 'm', messages: msgs, keepReasoning: true });
    assert.equal(toVllm.reasoning_display, undefined);
    assert.equal(JSON.stringify(toVllm).includes('gAAAAB-opaque'), false);
  });
});
