import assert from 'node:assert/strict';
import { MAI_DOCUMENTED_PARAMS, MAI_SECRET_MARK, startWireServer, type WireServer } from '../../fixtures/wire';
import { errorsOf, SECRET, text, turn } from './helpers';
import { EndpointMemory, resolveProfile } from '../../../src/core/model';
import type { EndpointProfileInput } from '../../../src/core/config/profile';

/** MAI-Thinking-1 on Foundry through the real openai client against the wire server's MAI dialect. */
const DEPLOYMENT = 'mai-prod-eastus';
const noWait = async () => {};

describe('MAI-Thinking-1 on Foundry (wire server, real openai client)', () => {
  let wire: WireServer;
  /** A profile as a user writes it from the portal: the resource endpoint and the deployment name. */
  const mai = (over: Partial<EndpointProfileInput> = {}) =>
    resolveProfile({ id: 'mai', provider: 'foundry', baseUrl: wire.origin, model: DEPLOYMENT, maxRetries: 0, ...over } as EndpointProfileInput);
  before(async () => { wire = await startWireServer({ apiKey: SECRET }); });
  after(async () => { await wire.close(); });

  it('the portal\'s endpoint + deployment name: POST /mai/v1/chat/completions, model = deployment, api-key header, documented parameters only', async () => {
    const { result, events } = await turn({ profile: mai(), apiKey: SECRET, temperature: 0.3 });
    assert.equal(result.content, 'MAI on Foundry answers: 4.');
    assert.equal(errorsOf(events).length, 0, JSON.stringify(events));
    const sent = wire.chatRequests.at(-1)!;
    assert.equal(sent.path, '/mai/v1/chat/completions');
    assert.equal(sent.scenario, 'mai-foundry');
    assert.equal(sent.body!.model, DEPLOYMENT);
    assert.equal(sent.headers['api-key'], SECRET);
    assert.equal(sent.headers.authorization, undefined);
    for (const k of Object.keys(sent.body!)) assert.ok(MAI_DOCUMENTED_PARAMS.includes(k), `undocumented parameter sent: ${k}`);
    assert.equal(sent.body!.max_completion_tokens, 32768);
    assert.equal(sent.body!.stream, true);
    // Null reasoning on every chunk: no reasoning text, and no reasoning_display asked for a one-off turn.
    assert.equal(text(events, 'reasoning.delta'), '');
    assert.equal(sent.body!.reasoning_display, undefined);
    // Usage on the final chunk, together with finish_reason (cached tokens included).
    assert.deepEqual(result.usage, { prompt: 210, cached: 2, completion: 96, reasoning: 64, cacheWrite: 0 });
    assert.equal(result.finishReason, 'stop');
    assert.ok(result.firstAnswerMs !== undefined && result.firstAnswerMs >= 0, 'thinking time is measured to the first answer token');
  });

  it('the full .../mai/v1 URL reaches the same route', async () => {
    await turn({ profile: mai({ baseUrl: `${wire.origin}/mai/v1`, model: 'anything-named' , foundryApi: undefined }), apiKey: SECRET });
    assert.equal(wire.chatRequests.at(-1)!.path, '/mai/v1/chat/completions');
  });

  it('a profile that sets reasoningEffort gets a note that this endpoint has no such control, and none is sent', async () => {
    const { events } = await turn({ profile: mai({ reasoningEffort: 'high' }), apiKey: SECRET });
    const note = events.find((e) => e.type === 'notice');
    assert.ok(note && note.type === 'notice');
    assert.match(note.message, /no reasoning-effort control.*"reasoningEffort": "high".*not sent/);
    assert.equal(wire.chatRequests.at(-1)!.body!.reasoning_effort, undefined);
  });

  it('encrypted reasoning: asked for when the conversation continues, kept from the final chunk, never in an event', async () => {
    wire.enqueue('mai-foundry-tools');
    const { result, events } = await turn({ profile: mai(), apiKey: SECRET, keepReasoning: true, tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }] });
    assert.equal(wire.chatRequests.at(-1)!.body!.reasoning_display, 'encrypted');
    // Tool calls that end with finish_reason "stop" are still tool calls.
    assert.deepEqual(result.toolCalls, [{ id: 'call_mai_1', name: 'read_file', arguments: '{"path":"src/a.ts"}' }]);
    const value = result.reasoningState?.value as { encrypted_content: string; content: null; summary: null };
    assert.match(value.encrypted_content, new RegExp(MAI_SECRET_MARK));
    assert.deepEqual(Object.keys(value), ['encrypted_content', 'content', 'summary'], 'kept exactly as received');
    assert.equal(JSON.stringify(events).includes(MAI_SECRET_MARK), false, 'the opaque value is in no event');
    assert.equal(text(events, 'reasoning.delta'), '', 'nothing of it is shown as reasoning');
  });

  it('a reasoning summary or content string that does arrive is shown as the reasoning', async () => {
    wire.enqueue({
      name: 'mai-summary', requireKey: 'api-key', steps: [
        { data: { id: 'm', object: 'chat.completion.chunk', created: 1, model: 'MAI-Thinking-1', choices: [{ index: 0, delta: { role: 'assistant', content: 'Yes.', reasoning: null }, finish_reason: null }], usage: null } },
        { data: { id: 'm', object: 'chat.completion.chunk', created: 1, model: 'MAI-Thinking-1', choices: [{ index: 0, delta: { content: null, reasoning: { encrypted_content: 'x', content: null, summary: 'Checked the loop bounds.' } }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 2 } } },
      ],
    });
    const { events } = await turn({ profile: mai(), apiKey: SECRET });
    assert.equal(text(events, 'reasoning.delta'), 'Checked the loop bounds.');
  });

  it('401 unless the api-key header is right: the message names the header used and the Entra scope; the key is scrubbed', async () => {
    const { result } = await turn({ profile: mai(), apiKey: 'wrong-key-123456' });
    assert.equal(result.error?.kind, 'auth');
    assert.match(result.error!.message, /sent in the "api-key" header \(401 Unauthorized\)/);
    assert.match(result.error!.action!, /"api-key" header.*https:\/\/cognitiveservices\.azure\.com\/\.default.*Bearer/);
    assert.doesNotMatch(result.error!.message, /wrong-key-123456/);
    const entra = await turn({ profile: mai({ auth: 'entra' }), apiKey: 'entra-token-abcdef123' });
    assert.match(entra.result.error!.message, /"Authorization: Bearer" \(Entra ID token for https:\/\/cognitiveservices\.azure\.com\/\.default\)/);
  });

  it('output safety mid-stream (SafetyBlockedError event): what arrived is kept and the error says Foundry\'s output safety stopped it', async () => {
    wire.enqueue('mai-foundry-safety');
    const { result, events } = await turn({ profile: mai(), apiKey: SECRET });
    assert.equal(result.content, 'The first part of the answer');
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'content-filter');
    assert.match(err.message, /Foundry's output safety stopped the answer \(SafetyBlockedError\).*partial answer is kept/);
  });

  it('input safety is a 400 before generation: said as such, with what to do', async () => {
    wire.enqueue('mai-foundry-input-safety');
    const { result } = await turn({ profile: mai(), apiKey: SECRET });
    assert.equal(result.error?.kind, 'content-filter');
    assert.match(result.error!.message, /input safety blocked the prompt before generation \(400\)/);
    assert.match(result.error!.action!, /Rephrase/);
  });

  it('429 on a new deployment: retried, then says new MAI deployments start at 0 TPM and where to request quota', async () => {
    wire.enqueue('mai-foundry-no-quota', 'mai-foundry-no-quota');
    const { result, events } = await turn({ profile: mai({ maxRetries: 1 }), apiKey: SECRET, sleep: noWait });
    assert.equal(events.filter((e) => e.type === 'retry').length, 1);
    assert.equal(result.error?.kind, 'rate-limit');
    assert.match(result.error!.action!, /0 tokens and 0 requests per minute.*Quota page of the Foundry portal/);
  });

  it('404 from a Foundry endpoint names the URL tried and the documented routes', async () => {
    wire.enqueue('foundry-404');
    const { result } = await turn({ profile: mai(), apiKey: SECRET });
    assert.equal(result.error?.kind, 'not-found');
    assert.match(result.error!.message, new RegExp(`POST ${wire.origin.replace(/[.]/g, '\\.')}/mai/v1/chat/completions \\(model "${DEPLOYMENT}", the "mai" API\\): Resource not found`));
    assert.match(result.error!.action!, /services\.ai\.azure\.com\/mai\/v1.*\/openai\/v1.*\/openai\/deployments\/<deployment>\?api-version.*"foundryApi"/);
  });

  it('the fixture refuses max_tokens with a 400; a generic profile pointed at MAI heals: max_tokens renamed, stream_options dropped, remembered', async () => {
    const generic = resolveProfile({ id: 'gen', provider: 'openai-compatible', baseUrl: `${wire.origin}/mai/v1`, model: DEPLOYMENT, auth: 'apiKey', maxRetries: 0 });
    generic.authHeader = 'api-key';
    const before = wire.chatRequests.length;
    const memory = new EndpointMemory();
    const { result, events } = await turn({ profile: generic, apiKey: SECRET, memory });
    assert.equal(result.content, 'MAI on Foundry answers: 4.', JSON.stringify(events));
    const sent = wire.chatRequests.slice(before);
    assert.equal(sent.length, 3, 'one retry per rejected parameter');
    assert.equal(sent[0].body!.max_tokens, 8192);
    assert.equal(sent[1].body!.max_tokens, undefined);
    assert.equal(sent[1].body!.max_completion_tokens, 8192, 'renamed as the server said');
    assert.equal(sent[2].body!.stream_options, undefined);
    const notes = events.filter((e) => e.type === 'notice').map((e) => (e as { message: string }).message);
    assert.equal(notes.length, 2);
    assert.match(notes[0], /"gen" rejected the parameter "max_tokens" \(sent as "max_completion_tokens" instead\)/);
    assert.match(notes[1], /"stream_options"/);
    // Remembered for the session: the next request is right the first time, and the trace says why.
    const again = await turn({ profile: generic, apiKey: SECRET, memory });
    assert.equal(wire.chatRequests.length, before + 4);
    assert.match((again.events.find((e) => e.type === 'notice') as { message: string }).message, /Not sending "max_tokens".*"stream_options".*rejected/);
  });
});
