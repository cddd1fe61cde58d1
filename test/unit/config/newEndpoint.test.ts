import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { testConnection } from '../../../src/core/model/connectionTest';
import { KINDS, profileFor, uniqueId, urlProblem } from '../../../src/core/config/newEndpoint';
import { EndpointProfileSchema } from '../../../src/core/config/profile';
import { streamTurn } from '../../../src/core/model/client';
import { listModels } from '../../../src/core/model/discovery';
import { describeError } from '../../../src/core/model/errors';
import { resolveProfile } from '../../../src/core/model/profiles';
import { closedPort, startWireServer, type WireServer } from '../../fixtures/wire';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
const deps = { listModels, streamTurn, describe: (err: unknown, p: ReturnType<typeof resolveProfile>, hadKey: boolean) => describeError(err, { profile: p, hadKey }).message };

describe('Add Endpoint: the profiles it writes', () => {
  it('MAI on Foundry: the portal\'s resource endpoint as baseUrl, the deployment name as model, on the MAI route', () => {
    const p = profileFor({ kind: 'mai-foundry', url: 'https://contoso-ai.services.ai.azure.com/', model: 'mai-prod', hasKey: true }, 'mai-foundry');
    assert.deepEqual(p, { id: 'mai-foundry', label: 'MAI-Thinking-1 (Foundry, mai-prod)', provider: 'foundry', baseUrl: 'https://contoso-ai.services.ai.azure.com', model: 'mai-prod', foundryApi: 'mai', auth: 'apiKey' });
    const resolved = resolveProfile(p);
    assert.equal(resolved.auth, 'apiKey');
  });

  it('OpenRouter, vLLM and other servers: fixed URL, no key means auth none', () => {
    assert.equal(profileFor({ kind: 'mai-openrouter', url: '', model: 'microsoft/mai-thinking-1', hasKey: true }, 'x').baseUrl, 'https://openrouter.ai/api/v1');
    const vllm = profileFor({ kind: 'vllm', url: 'http://gpu-box:8000/v1', model: 'qwen3-32b', hasKey: false }, 'vllm');
    assert.deepEqual(vllm, { id: 'vllm', label: 'vLLM gpu-box:8000', provider: 'vllm', baseUrl: 'http://gpu-box:8000/v1', model: 'qwen3-32b', auth: 'none' });
    const other = profileFor({ kind: 'openai-compatible', url: 'http://localhost:8080/v1', model: '', hasKey: true }, 'server');
    assert.equal(other.auth, 'apiKey');
    assert.equal(other.model, undefined, 'no model: the server\'s default');
  });

  it('checks the URL with messages that say what to paste', () => {
    assert.equal(urlProblem('vllm', 'http://localhost:8000/v1'), undefined);
    assert.match(urlProblem('vllm', 'localhost:8000') ?? '', /not a URL|http/);
    assert.equal(urlProblem('vllm', ''), 'Enter a URL.');
    assert.match(urlProblem('mai-foundry', 'http://contoso.services.ai.azure.com') ?? '', /https/);
    assert.match(urlProblem('mai-foundry', 'https://example.com') ?? '', /"example\.com" is not a Foundry resource host: copy the Endpoint from the deployment's Details tab/);
    assert.equal(urlProblem('mai-foundry', 'https://contoso.services.ai.azure.com'), undefined);
    assert.equal(urlProblem('mai-foundry', 'http://127.0.0.1:9999'), undefined, 'a local stand-in is allowed');
  });

  it('gives a new profile an id not yet taken', () => {
    assert.equal(uniqueId('vllm', []), 'vllm');
    assert.equal(uniqueId('vllm', ['vllm', 'vllm-2']), 'vllm-3');
  });

  it('settings.json completion offers a snippet per kind, each a valid profile', () => {
    const snippets = manifest.contributes.configuration.properties['ponder.endpoints'].defaultSnippets as Array<{ label: string; body: unknown[] }>;
    assert.deepEqual(snippets.map((s) => s.label), ['MAI-Thinking-1 on Microsoft Foundry', 'MAI-Thinking-1 on OpenRouter', 'vLLM server', 'Other OpenAI-compatible server']);
    assert.equal(snippets.length, KINDS.length);
    for (const s of snippets) {
      // Fill the tab stops with their defaults, as accepting the snippet does.
      const filled = JSON.parse(JSON.stringify(s.body).replace(/\$\{\d+:([^}]*)\}/g, '$1'));
      for (const p of filled) assert.ok(EndpointProfileSchema.safeParse(p).success, `${s.label}: ${JSON.stringify(EndpointProfileSchema.safeParse(p).error?.issues)}`);
    }
    const foundry = JSON.stringify(snippets[0].body);
    assert.match(foundry, /services\.ai\.azure\.com"/);
    assert.match(foundry, /"foundryApi":"mai"/);
  });
});

describe('Add Endpoint: the connection test (wire fixture server)', () => {
  let wire: WireServer;
  afterEach(async () => { await wire?.close(); });

  it('lists the models, reads the window from the server, and sees reasoning stream', async () => {
    wire = await startWireServer({ models: [{ id: 'qwen3-32b', max_model_len: 40960 }] });
    const profile = resolveProfile(profileFor({ kind: 'vllm', url: wire.url, model: 'qwen3-32b', hasKey: false }, 'vllm'));
    const r = await testConnection(profile, undefined, deps);
    assert.equal(r.ok, true, r.error);
    assert.equal(r.contextWindow, 40960);
    assert.equal(r.reasoning, 'streamed');
    assert.deepEqual(r.lines, [
      'Models: qwen3-32b.',
      'Context window: 40,960 tokens (from the server).',
      'Test request to qwen3-32b: answered.',
      'Reasoning: streamed as it is produced (shown live in the sidebar).',
    ]);
    const sent = wire.chatRequests[0].body!;
    assert.equal(sent.model, 'qwen3-32b');
    assert.ok((sent.max_tokens as number) <= 256, `a short test request: max_tokens ${sent.max_tokens}`);
  });

  it('MAI on Foundry: asks the MAI route with the key in api-key, and says reasoning is not shown', async () => {
    wire = await startWireServer({ apiKey: 'foundry-key' });
    const profile = resolveProfile(profileFor({ kind: 'mai-foundry', url: wire.origin, model: 'MAI-Thinking-1', hasKey: true }, 'mai'));
    const r = await testConnection(profile, 'foundry-key', deps);
    assert.equal(r.ok, true, r.error);
    const chat = wire.chatRequests[0];
    assert.equal(chat.path, '/mai/v1/chat/completions');
    assert.equal(chat.headers['api-key'], 'foundry-key');
    assert.equal(chat.body?.model, 'MAI-Thinking-1');
    assert.equal(r.reasoning, 'none-seen');
  });

  it('a server that is not there: the test fails and says where it looked and what to check', async () => {
    const url = await closedPort();
    const profile = resolveProfile(profileFor({ kind: 'openai-compatible', url, model: 'm', hasKey: false }, 'server'));
    const r = await testConnection(profile, undefined, deps);
    assert.equal(r.ok, false);
    assert.match(r.lines[0], /^No models list: /);
    assert.ok(r.lines.some((l) => l.startsWith('Test request failed: ') && l.includes(url.replace(/\/v1$/, ''))), r.lines.join('\n'));
    assert.ok(!r.lines.some((l) => /answered|Reasoning:/.test(l)), 'says nothing that did not happen');
  });

  it('a wrong key: the test fails with the 401 in words, and the key never appears', async () => {
    wire = await startWireServer({ apiKey: 'right-key', modelsRequireKey: true, defaultScenario: 'foundry' });
    const profile = resolveProfile(profileFor({ kind: 'openai-compatible', url: wire.url, model: 'test-model', hasKey: true }, 'server'));
    const r = await testConnection(profile, 'wrong-key-123', deps);
    assert.equal(r.ok, false);
    assert.ok(!r.lines.join('\n').includes('wrong-key-123'), r.lines.join('\n'));
    const failed = r.lines.find((l) => l.startsWith('Test request failed: ')) ?? '';
    assert.match(failed, /401/);
    assert.match(failed, /Go back to the key step and check the key\.$/, 'the way out is a step back, not a command for a profile that does not exist yet');
  });
});
