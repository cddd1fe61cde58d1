import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Ledger } from '../../../src/core/cost/ledger';
import type { Logger } from '../../../src/core/log';
import { resolveProfile } from '../../../src/core/model/profiles';
import { EndpointMemory } from '../../../src/core/model/endpointMemory';
import { runRequest } from '../../../src/core/run/runRequest';
import { TraceStore } from '../../../src/core/run/traceStore';
import type { RunRequestInput } from '../../../src/core/run/types';
import { MAI_SECRET_MARK, startWireServer, type RecordedRequest, type WireServer } from '../../fixtures/wire';
import { tempWorkspace } from '../tools/helpers';
import { fixtureProfile } from './helpers';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';

const KEY = 'foundry-key-0123456789';

/** The reasoning objects the server streamed back in a response, exactly as sent. */
function streamedReasoning(rec: RecordedRequest): unknown[] {
  return (rec.response ?? '').split('\n').filter((l) => l.startsWith('data: {'))
    .map((l) => JSON.parse(l.slice(6)) as { choices?: { delta?: { reasoning?: unknown } }[] })
    .map((c) => c.choices?.[0]?.delta?.reasoning).filter((r) => r !== null && r !== undefined);
}
const assistantOf = (rec: RecordedRequest) => (rec.body?.messages as Record<string, unknown>[]).filter((m) => m.role === 'assistant');

describe('MAI on Foundry: encrypted reasoning carried across turns, and nowhere else', () => {
  let wire: WireServer;
  let ws: { root: string; cleanup(): void };
  let tmp: string;
  const logged: string[] = [];
  const logger: Logger = { trace: (m) => logged.push(m), debug: (m) => logged.push(m), info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m, ...a) => logged.push(String(m), JSON.stringify(a)) };
  const mai = () => resolveProfile({ id: 'mai', provider: 'foundry', baseUrl: wire.origin, model: 'mai-deployment', maxRetries: 0 });

  before(async () => { wire = await startWireServer({ apiKey: KEY }); });
  after(async () => { await wire.close(); });
  beforeEach(() => {
    wire.requests.length = 0;
    logged.length = 0;
    ws = tempWorkspace({ 'src/a.ts': 'export const a = 1;\n' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-mai-'));
  });
  afterEach(() => { ws.cleanup(); fs.rmSync(tmp, { recursive: true, force: true }); });

  const run = (over: Partial<RunRequestInput>, ledger: Ledger) => runRequest({
    prompt: 'What is in a.ts?', command: 'ask', endpoint: { profile: mai() }, getApiKey: async () => KEY,
    tools: { enabled: 'read', host: new NodeWorkspace([{ name: 'ws', path: ws.root }]) },
    recordTo: { ledger }, logger, ...over,
  });

  it('tool loop and a chat follow-up send the opaque value back unchanged; it is in no event, trace export, log or ledger', async () => {
    const ledger = new Ledger(path.join(tmp, 'ledger.jsonl'), logger);
    const store = new TraceStore(50);
    wire.enqueue('mai-foundry-tools', 'mai-foundry');
    const first = await run({ onEvent: (e) => store.add(e) }, ledger);
    assert.equal(first.finishReason, 'stop', JSON.stringify(first.error));
    const [toolTurn, answerTurn] = wire.chatRequests;
    // The tool round asked for it, and the second request carries the exact object on the assistant message.
    assert.equal(toolTurn.body!.reasoning_display, 'encrypted');
    const sentBack = streamedReasoning(toolTurn);
    assert.equal(sentBack.length, 1);
    assert.deepEqual(assistantOf(answerTurn)[0].reasoning, sentBack[0]);
    assert.deepEqual(assistantOf(answerTurn)[0].tool_calls, [{ id: 'call_mai_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"src/a.ts"}' } }]);
    assert.ok(first.reasoningState, 'the final answer\'s state is kept for the next chat turn');

    // A chat follow-up: the earlier answer goes back with its own state, as the chat participant passes it.
    const follow = await runRequest({
      prompt: 'And b?', command: 'chat', endpoint: { profile: mai() }, getApiKey: async () => KEY, logger, recordTo: { ledger },
      history: [{ role: 'user', content: 'What is in a.ts?' }, { role: 'assistant', content: first.answer, reasoningState: first.reasoningState }],
      onEvent: (e) => store.add(e),
    });
    assert.equal(follow.finishReason, 'stop');
    const third = wire.chatRequests[2];
    assert.equal(third.body!.reasoning_display, 'encrypted', 'a chat turn with history asks for it');
    assert.deepEqual(assistantOf(third)[0].reasoning, streamedReasoning(answerTurn)[0]);

    // Never shown, logged, exported or recorded.
    for (const [what, text] of [
      ['events', JSON.stringify([...first.events, ...follow.events])],
      ['answer and reasoning', first.answer + first.reasoning + follow.answer + follow.reasoning],
      ['trace export', JSON.stringify(store.snapshot())],
      ['log', logged.join('\n')],
      ['ledger', fs.readFileSync(ledger.file, 'utf8')],
    ] as const) assert.equal(text.includes(MAI_SECRET_MARK), false, `opaque reasoning found in the ${what}`);
  });

  it('it counts against the history budget: sent whole when it fits, the turn left out (not cut) when it does not', async () => {
    const big = { encrypted_content: 'x'.repeat(30_000), content: null, summary: null };
    const history = [{ role: 'user' as const, content: 'Q' }, { role: 'assistant' as const, content: 'A', reasoningState: { endpoint: `${mai().baseUrl}|mai-deployment`, value: big } }];
    const roomy = await runRequest({ prompt: 'And b?', command: 'chat', endpoint: { profile: mai() }, getApiKey: async () => KEY, history, historyTokens: 20_000 });
    assert.equal(roomy.finishReason, 'stop');
    assert.equal((assistantOf(wire.chatRequests[0])[0].reasoning as typeof big).encrypted_content.length, 30_000);
    // 30,000 opaque characters are counted as 12,000 tokens: over a 5,000-token history budget the turn goes.
    const tight = await runRequest({ prompt: 'And b?', command: 'chat', endpoint: { profile: mai() }, getApiKey: async () => KEY, history, historyTokens: 5_000 });
    assert.equal(assistantOf(wire.chatRequests[1]).some((m) => m.reasoning !== undefined), false);
    assert.ok(tight.events.some((e) => e.type === 'notice' && /summarized|dropped/.test(e.message)));
  });

  it('a fallback to another profile drops it: the other endpoint never receives it', async () => {
    const ledger = new Ledger(path.join(tmp, 'ledger.jsonl'));
    const other = fixtureProfile(wire.url, { id: 'backup' });
    wire.enqueue('mai-foundry-no-quota', 'vllm');
    const r = await runRequest({
      prompt: 'And b?', command: 'chat', getApiKey: async () => KEY, recordTo: { ledger },
      endpoint: { profiles: [mai(), other], rules: [{ fallback: ['mai', 'backup'] }], defaultId: 'mai' },
      history: [{ role: 'user', content: 'Q' }, { role: 'assistant', content: 'A', reasoningState: { endpoint: `${mai().baseUrl}|mai-deployment`, value: { encrypted_content: `gAAAAB${MAI_SECRET_MARK}`, content: null, summary: null } } }],
    });
    assert.equal(r.profile?.id, 'backup', JSON.stringify(r.events.filter((e) => e.type === 'notice' || e.type === 'error')));
    assert.equal(wire.chatRequests.length, 2);
    assert.equal(wire.chatRequests[0].rawBody.includes(MAI_SECRET_MARK), true, 'the MAI deployment got it');
    assert.equal(wire.chatRequests[1].rawBody.includes(MAI_SECRET_MARK), false, 'the fallback did not');
  });

  it('any endpoint whose usage reports reasoning tokens but sent no reasoning text is marked private, with its thinking time; MAI always is', async () => {
    wire.enqueue({ name: 'hidden-reasoning', steps: [{ data: { id: 'h', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'Just the answer.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 40, completion_tokens_details: { reasoning_tokens: 30 } } } }] });
    const hidden = await runRequest({ prompt: 'Q', command: 'ask', endpoint: { profile: fixtureProfile(wire.url) }, getApiKey: async () => undefined });
    const end = hidden.events.find((e) => e.type === 'request.end');
    assert.ok(end?.type === 'request.end' && end.privateReasoning === true && (end.thinkingMs ?? -1) >= 0, JSON.stringify(end));
    const start = hidden.events.find((e) => e.type === 'request.start');
    assert.equal(start?.type === 'request.start' && start.privateReasoning, undefined, 'not known in advance for a generic endpoint');
    // Reasoning text that did arrive: not private.
    wire.enqueue('vllm');
    const shown = await runRequest({ prompt: 'Q', command: 'ask', endpoint: { profile: fixtureProfile(wire.url) }, getApiKey: async () => undefined });
    const shownEnd = shown.events.find((e) => e.type === 'request.end');
    assert.equal(shownEnd?.type === 'request.end' && shownEnd.privateReasoning, undefined);
    // MAI on Foundry: said at the start already.
    const maiRun = await runRequest({ prompt: 'Q', command: 'ask', endpoint: { profile: mai() }, getApiKey: async () => KEY });
    const maiStart = maiRun.events.find((e) => e.type === 'request.start');
    assert.equal(maiStart?.type === 'request.start' && maiStart.privateReasoning, true);
    // A request that failed before any answer reasoned nothing worth mentioning.
    const refused = await runRequest({ prompt: 'Q', command: 'ask', endpoint: { profile: mai() }, getApiKey: async () => 'wrong-key-000000' });
    const refusedEnd = refused.events.find((e) => e.type === 'request.end');
    assert.equal(refusedEnd?.type === 'request.end' && refusedEnd.privateReasoning, undefined);
  });
});

describe('what an endpoint rejected is remembered by the window, not by the module', () => {
  let wire: WireServer;
  before(async () => { wire = await startWireServer({ apiKey: KEY }); });
  after(async () => { await wire.close(); });

  // A generic profile pointed at MAI on Foundry: its first request sends max_tokens and stream_options, which the route refuses.
  const generic = () => {
    const p = resolveProfile({ id: 'gen', provider: 'openai-compatible', baseUrl: `${wire.origin}/mai/v1`, model: 'mai-deployment', auth: 'apiKey', maxRetries: 0 });
    p.authHeader = 'api-key';
    return p;
  };
  const ask = (memory?: EndpointMemory) => runRequest({ prompt: 'What is 2+2?', command: 'ask', endpoint: { profile: generic() }, getApiKey: async () => KEY, endpointMemory: memory });

  it('a second request of the same window goes right the first time; another window (or a request given none) learns for itself', async () => {
    const window = new EndpointMemory();
    const count = () => wire.chatRequests.length;
    let before = count();
    const first = await ask(window);
    assert.equal(first.finishReason, 'stop', JSON.stringify(first.error));
    assert.equal(count() - before, 3, 'the first request heals: one retry per rejected parameter');
    before = count();
    const second = await ask(window);
    assert.equal(second.finishReason, 'stop');
    assert.equal(count() - before, 1, 'the window remembered both parameters');
    assert.equal(wire.chatRequests.at(-1)!.body!.max_tokens, undefined);
    before = count();
    await ask(new EndpointMemory());
    assert.equal(count() - before, 3, 'another window is refused and heals on its own');
    before = count();
    await ask();
    assert.equal(count() - before, 3, 'nothing leaks through module state');
  });
});
