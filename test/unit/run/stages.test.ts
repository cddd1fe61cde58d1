import * as assert from 'node:assert/strict';
import {
  buildMessages, costOfTurns, createRequestContext, finishRequest, offerTools, preparePrompt, runTurns, type RunRequestInput,
} from '../../../src/core/run';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { tempWorkspace } from '../tools/helpers';
import { answerTurn, assertValidEvents, bodyMessages, fixtureProfile, ofType, toolTurn } from './helpers';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import type { EditorPort } from '../../../src/core/editor/port';

/**
 * The request stages used on their own, the way a loop of several model turns (agent mode)
 * composes them: a hook before every turn may rewrite the conversation or stop on a cost cap.
 */
describe('request stages composed by hand (real wire fixture server)', () => {
  let wire: WireServer;
  let ws: { root: string; cleanup(): void };
  before(async () => { wire = await startWireServer(); });
  after(async () => { await wire.close(); });
  beforeEach(() => {
    wire.requests.length = 0;
    ws = tempWorkspace({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n' });
  });
  afterEach(() => ws.cleanup());

  it('beforeTurn condenses old tool output before a turn and stops at a cost cap before the next one', async () => {
    const profile = fixtureProfile(wire.url);
    const host: EditorPort = new NodeWorkspace([{ name: 'ws', path: ws.root }]);
    const input: RunRequestInput = { prompt: 'What do a and b export?', command: 'ask', endpoint: { profile }, getApiKey: async () => undefined, tools: { enabled: 'read', host } };
    wire.enqueue(toolTurn('read_file', { path: 'src/a.ts' }, { id: 'c1' }), toolTurn('read_file', { path: 'src/b.ts' }, { id: 'c2' }), answerTurn('never asked for'));
    const ctx = createRequestContext(input);
    const tools = offerTools(ctx);
    const parts = await preparePrompt(ctx, tools);
    const seen: number[] = [];
    const turns = await runTurns({
      emitter: ctx.emitter, streamTurn: ctx.deps.streamTurn, profile, apiKey: undefined, getApiKey: input.getApiKey,
      messages: buildMessages(ctx, parts, profile, undefined), runner: tools.runner, maxRounds: 8, toolsSupported: true,
      startedAt: ctx.startedAt, now: ctx.deps.now,
      beforeTurn: (t) => {
        seen.push(t.index);
        const spent = costOfTurns(t, profile, 0).amount ?? 0;
        if (t.index === 2) {
          assert.ok(spent > 0, 'the cost so far is known before the third turn');
          return { stop: { finishReason: 'error', error: { type: 'error', kind: 'budget', message: `Cost cap reached: $${spent.toFixed(6)} spent.`, action: 'Raise the cap.' } } };
        }
        if (t.index === 1) return { messages: t.messages.map((m) => (m.role === 'tool' ? { ...m, content: '(condensed)' } : m)) };
        return undefined;
      },
    });
    assert.deepEqual(seen, [0, 1, 2]);
    assert.equal(wire.chatRequests.length, 2, 'the third turn was never sent');
    assert.equal(bodyMessages(wire.chatRequests[1]).find((m) => m.role === 'tool')?.content, '(condensed)', 'the endpoint received the condensed tool output');
    assert.equal(turns.finishReason, 'error');
    assert.match(turns.error?.message ?? '', /^Cost cap reached/);
    const r = await finishRequest(ctx, { finishReason: turns.finishReason, profile: turns.profile, error: turns.error, turns });
    assertValidEvents(r.events);
    assert.equal(ofType(r.events, 'cost').length, 1, 'both turns were accounted once');
    assert.equal(ofType(r.events, 'request.end')[0].finishReason, 'error');
    assert.ok((r.cost.amount ?? 0) > 0);
  });
});
