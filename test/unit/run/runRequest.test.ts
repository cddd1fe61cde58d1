import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { countTokens } from '../../../src/core/tokens';
import { Ledger } from '../../../src/core/cost/ledger';
import { runRequest } from '../../../src/core/run/runRequest';
import type { RunRequestInput } from '../../../src/core/run/types';
import { chunk, closedPort, startWireServer, type WireServer } from '../../fixtures/wire';
import { tempWorkspace } from '../tools/helpers';
import { answerTurn, assertValidEvents, bodyMessages, fixtureProfile, ofType, types } from './helpers';

describe('runRequest: one request end to end', () => {
  let wire: WireServer;
  let dir: string;
  before(async () => { wire = await startWireServer(); });
  after(async () => { await wire.close(); });
  beforeEach(() => { wire.requests.length = 0; dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-run-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (over: Partial<RunRequestInput> = {}) => runRequest({
    prompt: 'What is 2+2?', command: 'ask', endpoint: { profile: fixtureProfile(wire.url) }, getApiKey: async () => undefined, ...over,
  });

  it('streams reasoning and the answer, then usage, cost and request.end, in order', async () => {
    wire.enqueue('vllm');
    const seen: string[] = [];
    const r = await run({ onEvent: (e) => seen.push(e.type) });
    assertValidEvents(r.events);
    assert.deepEqual(seen, types(r.events));
    const t = types(r.events);
    assert.equal(t[0], 'request.start');
    assert.deepEqual(t.slice(-3), ['usage', 'cost', 'request.end']);
    assert.ok(t.indexOf('reasoning.delta') < t.indexOf('content.delta'));
    assert.equal(r.answer, 'The answer is 4.');
    assert.equal(r.reasoning, 'The user asks for 2+2. That is 4.');
    const start = ofType(r.events, 'request.start')[0];
    assert.equal(start.endpoint, 'fixture');
    assert.equal(start.model, 'test-model');
    assert.equal(start.prompt, 'What is 2+2?');
    assert.deepEqual(r.usage, { prompt: 120, cached: 64, completion: 48, reasoning: 30, cacheWrite: 0 });
    const cost = ofType(r.events, 'cost')[0];
    assert.equal(cost.source, 'price-table');
    assert.ok(cost.amount !== null && cost.amount > 0);
    const end = ofType(r.events, 'request.end')[0];
    assert.equal(end.finishReason, 'stop');
    assert.ok(end.firstTokenMs !== undefined && end.firstTokenMs >= 0 && end.firstTokenMs <= end.ms);
    // Instructions go in the profile's role (vLLM: system), the question last.
    const msgs = bodyMessages(wire.chatRequests[0]);
    assert.equal(msgs[0].role, 'system');
    assert.equal(msgs[msgs.length - 1].content, 'What is 2+2?');
  });

  it('packs workspace context within the window and reports it in context.packed', async () => {
    const ws = tempWorkspace({ 'src/math.ts': 'export function add(a: number, b: number) { return a + b; }\n' });
    try {
      wire.enqueue('vllm');
      const r = await run({ prompt: 'Explain add', workspace: { port: new NodeWorkspace([ws.root]), activeFile: 'src/math.ts', selection: [1, 1] } });
      const packed = ofType(r.events, 'context.packed')[0];
      assert.ok(packed.items.some((i) => i.path === 'src/math.ts'));
      assert.ok(packed.budget > 0 && packed.budget < 32768 - 2048, 'budget = window − output reserve − prompt');
      assert.ok(packed.used <= packed.budget);
      assert.equal(packed.window, 32768);
      assert.ok(types(r.events).indexOf('context.packed') === 1);
      assert.match(String(bodyMessages(wire.chatRequests[0]).at(-1)?.content), /export function add/);
    } finally { ws.cleanup(); }
  });

  for (const [label, scenario, kind] of [['401', 'http-401', 'auth'], ['500', 'http-500', 'server']] as const) {
    it(`a ${label} ends with an error event that says why, and finishReason error`, async () => {
      wire.enqueue(scenario);
      const r = await run();
      assert.equal(r.finishReason, 'error');
      const errors = ofType(r.events, 'error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0].kind, kind);
      assert.equal(r.error?.kind, kind);
      assert.deepEqual(types(r.events).slice(-3), ['usage', 'cost', 'request.end']);
      assertValidEvents(r.events);
    });
  }

  it('a content filter stop keeps what arrived and says why', async () => {
    wire.enqueue('content-filter');
    const r = await run();
    assert.equal(r.finishReason, 'content_filter');
    assert.equal(r.answer, 'Here is the start');
    assert.equal(r.error?.kind, 'content-filter');
    assert.equal(ofType(r.events, 'request.end')[0].finishReason, 'content_filter');
  });

  it('connection refused names the server', async () => {
    const r = await run({ endpoint: { profile: fixtureProfile(await closedPort()) } });
    assert.equal(r.finishReason, 'error');
    assert.equal(r.error?.kind, 'connection');
    assert.match(r.error?.message ?? '', /127\.0\.0\.1/);
  });

  it('cancel mid-stream: stops the HTTP stream, keeps the partial answer, request.end says cancelled', async () => {
    wire.enqueue({ name: 'slow-answer', steps: [{ data: chunk({ reasoning: 'Thinking' }) }, { data: chunk({ content: 'Partial ' }) }, { delayMs: 3000 }, { data: chunk({ content: 'never' }) }, { data: chunk({}, 'stop') }] });
    const controller = new AbortController();
    const r = await run({ signal: controller.signal, onEvent: (e) => { if (e.type === 'content.delta') controller.abort(); } });
    assert.equal(r.finishReason, 'cancelled');
    assert.equal(r.answer, 'Partial ');
    assert.equal(ofType(r.events, 'request.end')[0].finishReason, 'cancelled');
    assert.ok(ofType(r.events, 'request.end')[0].ms < 2500);
    assert.equal(await wire.waitForClientClose(0), true);
  });

  it('keeps history within its token budget and says what was summarized or dropped', async () => {
    wire.enqueue('vllm');
    const history = Array.from({ length: 20 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: `turn ${i} `.repeat(40) }));
    const r = await run({ history, historyTokens: 600 });
    const notice = ofType(r.events, 'notice').find((n) => /earlier turns? (was|were) (summarized|dropped)/.test(n.message));
    assert.ok(notice, 'a notice says so');
    const msgs = bodyMessages(wire.chatRequests[0]);
    assert.ok(msgs.some((m) => /turn 19/.test(String(m.content))), 'newest turns kept');
    assert.ok(!msgs.some((m) => /turn 2 turn 2 turn 2 turn 2 turn 2 turn 2/.test(String(m.content)) && m.role === 'assistant'));
  });

  it('refuses a request over budget under hardLimit with a budget error, sending nothing', async () => {
    const ledger = new Ledger(path.join(dir, 'ledger.jsonl'));
    const r = await run({ budget: { ledger, budget: { perRequest: 0.000001, daily: null, monthly: null, hardLimit: true } } });
    assert.equal(wire.chatRequests.length, 0);
    assert.equal(r.error?.kind, 'budget');
    assert.match(r.error?.message ?? '', /per-request budget/);
    assert.equal(ofType(r.events, 'request.end')[0].finishReason, 'error');
  });

  it('asks when over budget: cancel stops, send goes ahead', async () => {
    const ledger = new Ledger(path.join(dir, 'ledger.jsonl'));
    const budget = { perRequest: 0.000001, daily: null, monthly: null, hardLimit: false };
    const cancelled = await run({ budget: { ledger, budget, confirm: async () => 'cancel' } });
    assert.equal(cancelled.finishReason, 'cancelled');
    assert.equal(wire.chatRequests.length, 0);
    wire.enqueue('vllm');
    const sent = await run({ budget: { ledger, budget, confirm: async () => 'send' } });
    assert.equal(sent.finishReason, 'stop');
    assert.equal(wire.chatRequests.length, 1);
  });

  it('"send with a smaller context" repacks the context so the prompt fits the budget', async () => {
    const body = Array.from({ length: 300 }, (_, i) => `export const value${i} = compute(${i}); // explain value ${i}`).join('\n');
    const ws = tempWorkspace({ 'src/values.ts': body + '\n' });
    try {
      const ledger = new Ledger(path.join(dir, 'ledger.jsonl'));
      // $1000 per million prompt tokens, output free: a $0.9 limit allows a prompt of about 900 tokens.
      const profile = fixtureProfile(wire.url, { pricing: { inputPerMTok: 1000, outputPerMTok: 0 } });
      let offered: number | null = null;
      wire.enqueue('vllm');
      const r = await run({
        endpoint: { profile }, prompt: 'Explain the values',
        workspace: { port: new NodeWorkspace([ws.root]), activeFile: 'src/values.ts' },
        budget: { ledger, budget: { perRequest: 0.9, daily: null, monthly: null, hardLimit: false }, confirm: async (_refusal, smaller) => { offered = smaller; return 'send-smaller'; } },
      });
      assert.equal(r.finishReason, 'stop');
      assert.equal(offered, 900);
      const packs = ofType(r.events, 'context.packed');
      assert.equal(packs.length, 2, 'the repacked context is reported again');
      assert.ok(packs[1].used < packs[0].used);
      assert.ok(ofType(r.events, 'notice').some((n) => /Context repacked to \d+ tokens so the request fits the budget/.test(n.message)));
      const sent = bodyMessages(wire.chatRequests[0]).reduce((n, m) => n + countTokens(String(m.content ?? '')), 0);
      assert.ok(sent <= 900, `prompt of ${sent} tokens fits the 900 allowed`);
    } finally { ws.cleanup(); }
  });

  it('records the finished request in the ledger when asked to', async () => {
    const ledger = new Ledger(path.join(dir, 'ledger.jsonl'));
    wire.enqueue('vllm');
    const r = await run({ recordTo: { ledger, sessionId: 's1' } });
    const entries = await ledger.read();
    assert.equal(entries.length, 1);
    assert.equal(entries[0].id, r.requestId);
    assert.equal(entries[0].tokens.prompt, 120);
    assert.equal(entries[0].status, 'done');
  });

  it('routes by rules and falls back on a 429 before any output, saying so', async () => {
    const a = fixtureProfile(wire.url, { id: 'primary' });
    const b = fixtureProfile(wire.url, { id: 'backup' });
    wire.enqueue('http-429-long', answerTurn('From the backup.'));
    const r = await run({ endpoint: { profiles: [a, b], rules: [{ when: { command: 'ask' }, endpoint: 'primary' }, { fallback: ['backup'] }] } });
    const start = ofType(r.events, 'request.start')[0];
    assert.equal(start.endpoint, 'primary');
    assert.match(start.route?.reason ?? '', /command "ask" matched/);
    assert.ok(ofType(r.events, 'notice').some((n) => /primary was rate-limited \(429\); switched to backup/.test(n.message)));
    assert.equal(r.profile?.id, 'backup');
    assert.equal(r.answer, 'From the backup.');
    assert.equal(ofType(r.events, 'error').length, 0);
  });

  it('a prompt-size rule sees the packed context: a large prompt goes to the larger model', async () => {
    const body = Array.from({ length: 200 }, (_, i) => `export const item${i} = lookup(${i}); // item ${i}`).join('\n');
    const ws = tempWorkspace({ 'src/items.ts': body + '\n' });
    try {
      const small = fixtureProfile(wire.url, { id: 'small', contextWindow: 8192, maxOutputTokens: 1024 });
      const big = fixtureProfile(wire.url, { id: 'big', contextWindow: 32768 });
      wire.enqueue('vllm');
      const r = await run({
        endpoint: { profiles: [small, big], rules: [{ name: 'long prompts', when: { promptTokensOver: 1500 }, endpoint: 'big' }] },
        workspace: { port: new NodeWorkspace([ws.root]), activeFile: 'src/items.ts' },
      });
      const start = ofType(r.events, 'request.start')[0];
      assert.equal(start.endpoint, 'big');
      assert.match(start.route?.reason ?? '', /prompt of \d+ tokens is over 1500/);
      assert.deepEqual(types(r.events).slice(0, 2), ['request.start', 'context.packed']);
    } finally { ws.cleanup(); }
  });

  it('an unknown endpoint override is a config error, not a crash', async () => {
    const r = await run({ endpoint: { profiles: [fixtureProfile(wire.url)], rules: [], override: 'nope', overrideSource: '--endpoint' } });
    assert.equal(r.error?.kind, 'config');
    assert.match(r.error?.message ?? '', /"nope" \(from --endpoint\) is not a configured profile/);
  });
});
