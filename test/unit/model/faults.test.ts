import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closedPort, startWireServer, type WireServer } from '../../fixtures/wire';
import { streamTurn, type ModelEvent } from '../../../src/core/model';
import { ASK, errorsOf, profile, SECRET, text, turn } from './helpers';
import { defaultProfile } from '../../../src/core/model/profiles';

/** Waits that return at once but remember what was asked: retry tests run in milliseconds. */
function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => { waits.push(ms); } };
}

describe('model client: faults a user would see', () => {
  let wire: WireServer;
  before(async () => { wire = await startWireServer({ apiKey: SECRET }); });
  after(async () => { await wire.close(); });

  it('401: says which key for which endpoint and offers Ponder: Set API Key', async () => {
    wire.enqueue('http-401');
    const { result, events } = await turn({ profile: profile(wire.url, { auth: 'apiKey', label: 'Team gateway' }), apiKey: SECRET });
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'auth');
    assert.match(err.message, /"Team gateway" \(http:\/\/127\.0\.0\.1:\d+\/v1\) refused the key stored for profile "test" \(401 Unauthorized\)/);
    assert.match(err.action!, /Ponder: Set API Key/);
    assert.deepEqual(err.fix, { title: 'Set API Key', command: 'ponder.setApiKey', args: ['test'] });
    assert.equal(result.finishReason, 'error');
  });

  it('a profile that needs a key but has none: no request, the error says how to set it', async () => {
    const before = wire.requests.length;
    const { events } = await turn({ profile: profile(wire.url, { auth: 'apiKey' }) });
    assert.equal(wire.requests.length, before);
    assert.match(errorsOf(events)[0].message, /No API key is stored for profile "test"/);
  });

  it('402: insufficient balance, offering another endpoint', async () => {
    wire.enqueue('http-402');
    const { events } = await turn({ profile: profile(wire.url) });
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'balance');
    assert.match(err.message, /insufficient balance or credits \(402\)/);
    assert.equal(err.fix?.command, 'ponder.selectEndpoint');
  });

  it('404: the model is not found, and the error lists what /models offers', async () => {
    wire.enqueue('http-404');
    const { events } = await turn({ profile: profile(wire.url, { model: 'no-such-model' }) });
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'not-found');
    assert.match(err.message, /has no model "no-such-model".*It offers: test-model\./);
    assert.match(err.action!, /ponder models --endpoint test/);
  });

  it('context length exceeded (vLLM 400): names the window and what to lower', async () => {
    wire.enqueue('context-length');
    const { events } = await turn({ profile: profile(wire.url, { contextWindow: 32768, maxOutputTokens: 8192 }), promptTokens: 32768 });
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'context-length');
    assert.match(err.message, /The request \(32,768 prompt tokens \+ 8,192 reserved for output\) does not fit the context window of test-model \(32,768 tokens by profile "test"\).*you requested 40960 tokens/);
    assert.match(err.action!, /ponder\.context\.budget/);
  });

  it('an error body without the "error" wrapper (older vLLM: {"object": "error", "message": ...}) reaches the user in the server\'s words', async () => {
    const message = "This model's maximum context length is 32768 tokens. However, you requested 40960 tokens (32768 in the messages, 8192 in the completion). Please reduce the length of the messages or completion.";
    wire.enqueue({ name: 'bare-error-body', status: 400, body: { object: 'error', message, type: 'BadRequestError', param: null, code: 400 } });
    const { events } = await turn({ profile: profile(wire.url, { contextWindow: 32768, maxOutputTokens: 8192 }), promptTokens: 32768 });
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'context-length');
    assert.match(err.message, /you requested 40960 tokens/);
    assert.doesNotMatch(err.message, /no body/);
  });

  it('413 is a context-length error too', async () => {
    wire.enqueue('http-413');
    assert.equal(errorsOf((await turn({ profile: profile(wire.url) })).events)[0].kind, 'context-length');
  });

  it('429 with retry-after: retried after the server-given delay, each retry an event, then succeeds', async () => {
    wire.enqueue('http-429', 'http-429', 'vllm');
    const { waits, sleep } = fakeSleep();
    const { result, events } = await turn({ profile: profile(wire.url, { maxRetries: 3 }), sleep });
    assert.deepEqual(waits, [1000, 1000]);
    const retries = events.filter((e) => e.type === 'retry');
    assert.deepEqual(retries.map((r) => r.type === 'retry' && [r.attempt, r.delayMs]), [[1, 1000], [2, 1000]]);
    assert.match((retries[0] as Extract<ModelEvent, { type: 'retry' }>).cause, /rate limiting requests \(429\)/);
    assert.equal(result.content, 'The answer is 4.');
    assert.equal(errorsOf(events).length, 0);
  });

  it('429 with x-ratelimit-reset-*: waits for the later reset; too long a wait is reported, not slept through', async () => {
    wire.enqueue('http-429-reset');
    const { waits, sleep } = fakeSleep();
    const { events } = await turn({ profile: profile(wire.url, { maxRetries: 2 }), sleep });
    assert.deepEqual(waits, []); // 6m0s is beyond what Ponder waits for on its own
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'rate-limit');
    assert.match(err.action!, /Retry in 6 min/);
  });

  it('429 asking for an hour: not slept through, the error says when to retry', async () => {
    wire.enqueue('http-429-long');
    const { waits, sleep } = fakeSleep();
    const { events } = await turn({ profile: profile(wire.url, { maxRetries: 3 }), sleep });
    assert.deepEqual(waits, []);
    assert.match(errorsOf(events)[0].action!, /Retry in 60 min/);
  });

  it('429 retries run out at the profile limit, then the error says when to retry', async () => {
    wire.enqueue('http-429', 'http-429', 'http-429');
    const { waits, sleep } = fakeSleep();
    const { events } = await turn({ profile: profile(wire.url, { maxRetries: 2 }), sleep });
    assert.equal(waits.length, 2);
    assert.match(errorsOf(events)[0].action!, /Gave up after 2 retries; retry in 1 s/);
  });

  it('500 then 503 then success: backoff grows, capped and jittered', async () => {
    wire.enqueue('http-500', 'http-503', 'vllm');
    const { waits, sleep } = fakeSleep();
    const { result } = await turn({ profile: profile(wire.url, { maxRetries: 3 }), sleep });
    assert.equal(result.content, 'The answer is 4.');
    assert.equal(waits.length, 2);
    assert.ok(waits[0] >= 375 && waits[0] <= 625, `first backoff ${waits[0]}`);
    assert.ok(waits[1] >= 750 && waits[1] <= 1250, `second backoff ${waits[1]}`);
  });

  it('a real wait is cancellable: aborting during the retry wait ends the request at once', async () => {
    wire.enqueue('http-503', 'vllm');
    const controller = new AbortController();
    const started = Date.now();
    const pending = turn({ profile: profile(wire.url, { maxRetries: 3 }), signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const { result, events } = await pending;
    assert.ok(Date.now() - started < 400, 'cancel during the backoff wait returns at once');
    assert.equal(result.finishReason, 'cancelled');
    assert.equal(errorsOf(events).length, 0, 'a cancel is not an error');
    wire.enqueue(); // the queued 'vllm' is left over: drain it
    await turn({ profile: profile(wire.url) });
  });

  it('connection refused: "no server at <baseUrl>: is vLLM running?" with the vllm serve command', async () => {
    const url = await closedPort();
    const { waits, sleep } = fakeSleep();
    const { events } = await turn({ profile: profile(url, { maxRetries: 1 }), sleep });
    assert.equal(waits.length, 1, 'a refused connection is retried before giving up');
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'connection');
    assert.equal(err.message, `No server at ${url} (connection refused).`);
    const port = new URL(url).port;
    assert.equal(err.action, `Is a server running at ${url}? Start it (vLLM: \`vllm serve test-model --port ${port}\`), or fix "baseUrl" of profile "test" in settings.json "ponder.endpoints".`);
  });

  it('connection refused on the built-in default: says it is the built-in default and how to configure an endpoint, not "fix profile local-vllm"', async () => {
    const url = await closedPort();
    const p = { ...defaultProfile(), baseUrl: url, maxRetries: 0 };
    const { events } = await turn({ profile: p });
    const [err] = errorsOf(events);
    assert.match(err.message, /Ponder's built-in default endpoint/);
    assert.match(err.action!, /Is vLLM running\?/);
    assert.match(err.action!, /No endpoint is configured, so Ponder used its built-in default; to use another server, add a profile to settings.json "ponder.endpoints"/);
    assert.doesNotMatch(err.action!, /profile "local-vllm"/);
  });

  it('stream cut mid-reasoning: never retried, the partial reasoning kept, the error says it was cut', async () => {
    wire.enqueue('cut-reasoning', 'vllm');
    const { waits, sleep } = fakeSleep();
    const { result, events } = await turn({ profile: profile(wire.url, { maxRetries: 3 }), sleep });
    assert.deepEqual(waits, []);
    assert.equal(result.reasoning, 'Thinking about the pro');
    assert.equal(text(events, 'reasoning.delta'), 'Thinking about the pro');
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'connection');
    assert.match(err.message, /dropped mid-stream.*cut after 22 characters; the partial answer is kept/);
    await turn({ profile: profile(wire.url) }); // drain 'vllm'
  });

  it('stream cut mid tool-call arguments: no tool.call event, the call is not returned, the error says so', async () => {
    wire.enqueue('cut-tool-args');
    const { result, events } = await turn({ profile: profile(wire.url) });
    assert.equal(events.filter((e) => e.type === 'tool.call').length, 0);
    assert.deepEqual(result.toolCalls, []);
    assert.equal(errorsOf(events)[0].kind, 'connection');
  });

  it('a connection dropped before any output is retried', async () => {
    wire.enqueue('cut-before-output', 'vllm');
    const { waits, sleep } = fakeSleep();
    const { result, events } = await turn({ profile: profile(wire.url, { maxRetries: 2 }), sleep });
    assert.equal(waits.length, 1);
    assert.equal(events.filter((e) => e.type === 'retry').length, 1);
    assert.equal(result.content, 'The answer is 4.');
  });

  it('a stream that ends cleanly in the middle of the reasoning is reported', async () => {
    wire.enqueue('ended-mid-reasoning');
    const { result, events } = await turn({ profile: profile(wire.url) });
    assert.equal(result.reasoning, 'Half a thou');
    assert.match(errorsOf(events)[0].message, /ended before an answer \(in the middle of the reasoning\)/);
  });

  it('malformed JSON chunk: the error says so and the partial answer is kept', async () => {
    wire.enqueue('malformed');
    const { result, events } = await turn({ profile: profile(wire.url) });
    assert.equal(result.content, 'Good start, ');
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'bad-response');
    assert.match(err.message, /not valid JSON/);
  });

  it('an error object inside a 200 stream: reported mid-stream with the partial answer kept', async () => {
    wire.enqueue('error-mid-stream');
    const { result, events } = await turn({ profile: profile(wire.url) });
    assert.equal(result.content, 'Partial ');
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'server');
    assert.match(err.message, /reported an error mid-stream \(502\): Upstream provider overloaded/);
  });

  it('an error streamed without the "error" wrapper (older vLLM: {"object": "error", ...}; an SSE "event: error"): the server\'s words, what arrived kept', async () => {
    const chunkOf = (content: string) => ({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'test-model', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
    wire.enqueue({ name: 'bare-error-mid-stream', done: false, steps: [{ data: chunkOf('The first half, ') }, { data: { object: 'error', message: 'CUDA out of memory while decoding', type: 'InternalServerError', code: 500 } }] });
    const first = await turn({ profile: profile(wire.url) });
    assert.equal(first.result.content, 'The first half, ');
    const [err] = errorsOf(first.events);
    assert.equal(err.kind, 'server');
    assert.match(err.message, /reported an error mid-stream.*CUDA out of memory while decoding/);
    assert.doesNotMatch(err.message, /without a finish reason/);

    wire.enqueue({ name: 'event-error-no-key', done: false, steps: [{ data: chunkOf('Some text') }, { raw: `event: error\ndata: ${JSON.stringify({ message: 'Provider returned error: overloaded' })}\n\n` }] });
    const second = await turn({ profile: profile(wire.url) });
    assert.equal(second.result.content, 'Some text');
    assert.match(errorsOf(second.events)[0]?.message ?? '', /Provider returned error: overloaded/);
  });

  it('a server that holds the response open after data: [DONE]: the answer ends there, complete, not as a stall', async () => {
    const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.write(chunk({ content: 'Four.' }, null) + chunk({}, 'stop') + 'data: [DONE]\n\n'); }); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { result, events } = await turn({ profile: profile(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, { timeoutSeconds: 2 }) });
      assert.deepEqual(errorsOf(events), []);
      assert.equal(result.finishReason, 'stop');
      assert.equal(result.content, 'Four.');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('a stalled stream times out after timeoutSeconds of silence, keeping the partial reasoning', async () => {
    wire.enqueue('stall');
    const started = Date.now();
    const { result, events } = await turn({ profile: profile(wire.url, { timeoutSeconds: 0.3 }) });
    assert.ok(Date.now() - started < 2000);
    assert.equal(result.reasoning, 'Thinking');
    const [err] = errorsOf(events);
    assert.equal(err.kind, 'timeout');
    assert.match(err.message, /sent nothing for 0\.3 s: the stream stalled after 8 characters/);
    assert.ok(await wire.waitForClientClose(), 'the stalled HTTP stream is closed');
  });

  it('a server that sends headers and then nothing: timed out and retried (no output yet), then succeeds', async () => {
    wire.enqueue('stall-start', 'vllm');
    const { waits, sleep } = fakeSleep();
    const { result, events } = await turn({ profile: profile(wire.url, { timeoutSeconds: 0.2, maxRetries: 1 }), sleep });
    assert.equal(waits.length, 1);
    const retry = events.find((e) => e.type === 'retry');
    assert.ok(retry && retry.type === 'retry' && /sent nothing for 0\.2 s/.test(retry.cause));
    assert.equal(result.content, 'The answer is 4.');
  });

  it('cancel mid-stream: the server sees the socket close at once, the partial answer is kept', async () => {
    wire.enqueue('stall');
    const controller = new AbortController();
    let abortedAt = 0;
    const events: ModelEvent[] = [];
    // Cancel the moment the first reasoning arrives, as a user pressing Stop would.
    const result = await streamTurn({
      profile: profile(wire.url), messages: ASK, signal: controller.signal,
      emit: (e) => { events.push(e); if (e.type === 'reasoning.delta' && !abortedAt) { abortedAt = performance.now(); controller.abort(); } },
    });
    assert.equal(result.finishReason, 'cancelled');
    assert.equal(result.reasoning, 'Thinking');
    assert.ok(await wire.waitForClientClose(undefined, 1000), 'server saw the connection close');
    const closedAt = wire.chatRequests.at(-1)!.clientClosedAt!;
    // The stalled stream would stay open until the profile's timeout (300 s for vLLM): a close
    // within a second is the cancel's doing. A tighter bound only measures the machine's load.
    assert.ok(closedAt - abortedAt < 1000, `socket closed ${Math.round(closedAt - abortedAt)} ms after the cancel`);
    assert.equal(errorsOf(events).length, 0);
  });

  it('keys never appear in any event or error, even when the server echoes the key it refused', async () => {
    const all: ModelEvent[] = [];
    const results: unknown[] = [];
    // The Foundry scenario checks the key; a wrong one is echoed back in the 401 body.
    const wrongKey = `${SECRET}-wrong`;
    for (const [sc, key] of [['foundry', wrongKey], ['http-401', SECRET], ['malformed', SECRET], ['error-mid-stream', SECRET], ['http-429', SECRET], ['vllm', SECRET]] as const) {
      wire.enqueue(sc);
      const { result, events } = await turn({ profile: profile(wire.url, { provider: sc === 'foundry' ? 'foundry' : 'vllm', auth: 'apiKey' }), apiKey: key });
      all.push(...events);
      results.push(result);
    }
    assert.ok(wire.requests.some((r) => JSON.stringify(r).includes(SECRET)), 'the key was sent to the server');
    const blob = JSON.stringify(all) + JSON.stringify(results);
    assert.ok(!blob.includes(SECRET), 'the key leaked into an event or error');
    assert.ok(!blob.includes('PONDER-LEAK-CANARY'), 'part of the key leaked');
    assert.ok(errorsOf(all).some((e) => e.kind === 'auth' && e.message.includes('***')), 'the echoed key was scrubbed, not dropped silently');
  });
});
