import assert from 'node:assert/strict';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { rejectedParameter } from '../../../src/core/model/heal';
import { EndpointMemory } from '../../../src/core/model/endpointMemory';
import { profile, turn } from './helpers';

const body = { model: 'm', messages: [], stream: true, stream_options: { include_usage: true }, max_tokens: 10, temperature: 0.2, tools: [] };

describe('an endpoint that rejects a parameter by name heals itself', () => {
  it('recognizes the messages the major servers use', () => {
    const cases: [unknown, string | undefined][] = [
      [{ status: 400, error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", param: 'max_tokens' } }, 'max_tokens'],
      [{ status: 400, error: { message: 'Unrecognized request argument supplied: stream_options' } }, 'stream_options'],
      [{ status: 400, error: { message: "Unsupported value: 'temperature' does not support 0.2 with this model." } }, 'temperature'],
      [{ status: 400, error: { message: 'Bad request', param: 'temperature' } }, 'temperature'],
      // vLLM: pydantic's error list inside the message string.
      [{ status: 400, error: { object: 'error', type: 'BadRequestError', message: "[{'type': 'extra_forbidden', 'loc': ('body', 'stream_options'), 'msg': 'Extra inputs are not permitted', 'input': {'include_usage': True}}]", param: null, code: 400 } }, 'stream_options'],
      // FastAPI / pydantic as JSON (422).
      [{ status: 422, error: { detail: [{ type: 'extra_forbidden', loc: ['body', 'temperature'], msg: 'Extra inputs are not permitted', input: 0.2 }] } }, 'temperature'],
      // Not about a parameter, or about one that must not go.
      [{ status: 400, error: { message: "This model's maximum context length is 8192 tokens." } }, undefined],
      [{ status: 400, error: { message: "Unsupported parameter: 'tools'" } }, undefined],
      [{ status: 400, error: { message: "Unsupported parameter: 'seed'" } }, undefined],
      [{ status: 500, error: { message: "Unsupported parameter: 'max_tokens'" } }, undefined],
    ];
    for (const [err, want] of cases) assert.equal(rejectedParameter(err, body)?.param, want, JSON.stringify(err));
    assert.deepEqual(rejectedParameter(cases[0][0], body), { param: 'max_tokens', replacement: 'max_completion_tokens' });
  });

  describe('through the real client', () => {
    let wire: WireServer;
    before(async () => {
      wire = await startWireServer({
        scenarios: [{
          name: 'strict-vllm',
          // vLLM started with a strict request model: the 400 names the field in pydantic's words.
          validate: (r) => ('temperature' in (r.body ?? {}) ? { status: 400, body: { object: 'error', message: "[{'type': 'extra_forbidden', 'loc': ('body', 'temperature'), 'msg': 'Extra inputs are not permitted'}]", type: 'BadRequestError', param: null, code: 400 } } : undefined),
          steps: [{ data: { id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] } }],
        }],
      });
      wire.setScenario('strict-vllm');
    });
    after(async () => { await wire.close(); });

    it('drops the parameter, retries once, says so, and leaves it out for that endpoint for the session', async () => {
      const p = profile(wire.url);
      const memory = new EndpointMemory();
      const first = await turn({ profile: p, temperature: 0.7, memory });
      assert.equal(first.result.content, 'ok');
      assert.equal(wire.chatRequests.length, 2);
      assert.equal(wire.chatRequests[0].body!.temperature, 0.7);
      assert.equal(wire.chatRequests[1].body!.temperature, undefined);
      const note = first.events.find((e) => e.type === 'notice') as { message: string };
      assert.match(note.message, /"test" rejected the parameter "temperature": sending the request again without it/);
      await turn({ profile: p, temperature: 0.7, memory });
      assert.equal(wire.chatRequests.length, 3, 'remembered: no second rejection');
      assert.equal(wire.chatRequests[2].body!.temperature, undefined);
      // Another endpoint (another model on the same server) is not affected.
      await turn({ profile: profile(wire.url, { model: 'other' }), temperature: 0.7, memory });
      assert.equal(wire.chatRequests[3].body!.temperature, 0.7);
      assert.equal(wire.chatRequests.length, 5);
      // Another session (window, process) learns for itself.
      await turn({ profile: p, temperature: 0.7, memory: new EndpointMemory() });
      assert.equal(wire.chatRequests.length, 7, 'a new session is rejected once and heals again');
      assert.equal(wire.chatRequests[5].body!.temperature, 0.7);
    });
  });
});
