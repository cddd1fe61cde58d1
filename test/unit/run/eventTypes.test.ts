import assert from 'node:assert/strict';
import { PonderEventSchema, RequestEmitter, type EventOf, type PonderEvent } from '../../../src/core/events';
import { finishReasonOf } from '../../../src/core/model/finishReason';
import { RequestSummarySchema } from '../../../src/core/protocol/messages';
import { runRequest } from '../../../src/core/run/runRequest';
import { chunk, startWireServer, usageChunk, BASE_USAGE, type WireServer } from '../../fixtures/wire';
import { assertValidEvents, fixtureProfile, ofType } from './helpers';

/** The event model's closed sets (command, finish reason, context kind, cost source) and the typed emitter. */
describe('event types: closed value sets and the typed emitter', () => {
  const stamp = { requestId: 'r', t: 1 };

  it('the schema refuses a value outside each set and accepts the ones Ponder produces', () => {
    const start = { ...stamp, type: 'request.start', endpoint: 'e', model: 'm' };
    assert.equal(PonderEventSchema.safeParse({ ...start, command: 'explain' }).success, true);
    assert.equal(PonderEventSchema.safeParse({ ...start, command: 'vscode.lm' }).success, true);
    assert.equal(PonderEventSchema.safeParse({ ...start, command: 'deploy' }).success, false);
    const end = { ...stamp, type: 'request.end', ms: 5 };
    for (const r of ['stop', 'length', 'content_filter', 'cancelled', 'error']) assert.equal(PonderEventSchema.safeParse({ ...end, finishReason: r }).success, true, r);
    assert.equal(PonderEventSchema.safeParse({ ...end, finishReason: 'eos' }).success, false);
    const packed = (kind: string) => ({ ...stamp, type: 'context.packed', budget: 10, used: 5, items: [{ path: 'a.ts', tokens: 5, reason: 'r', kind }] });
    assert.equal(PonderEventSchema.safeParse(packed('cochange')).success, true);
    assert.equal(PonderEventSchema.safeParse(packed('match')).success, false, '"match" was listed in the old description but never produced');
    const cost = (source: string) => ({ ...stamp, type: 'cost', amount: 0.1, currency: 'USD', source });
    assert.equal(PonderEventSchema.safeParse(cost('gpu-hour')).success, true);
    assert.equal(PonderEventSchema.safeParse(cost('guess')).success, false);
    const summary = { requestId: 'r', endpoint: 'e', model: 'm', status: 'done', startedAt: 1 };
    assert.equal(RequestSummarySchema.safeParse({ ...summary, costSource: 'provider', command: 'chat' }).success, true);
    assert.equal(RequestSummarySchema.safeParse({ ...summary, costSource: 'guess' }).success, false, 'the webview protocol uses the same sets');
  });

  it('emit returns the event as its own type, stamped', () => {
    const seen: PonderEvent[] = [];
    const emitter = new RequestEmitter('req-1', (e) => seen.push(e), () => 42);
    // Compiles only because emit returns EventOf<'error'>: no cast.
    const error: EventOf<'error'> = emitter.emit({ type: 'error', kind: 'config', message: 'bad' });
    assert.deepEqual([error.kind, error.requestId, error.t], ['config', 'req-1', 42]);
    assert.equal(seen[0], error);
  });

  it("maps a server's finish reason onto the set: synonyms by meaning, anything unknown is an ordinary stop", () => {
    assert.equal(finishReasonOf('function_call'), 'tool_calls');
    assert.equal(finishReasonOf('max_tokens'), 'length');
    assert.equal(finishReasonOf('eos'), 'stop');
    assert.equal(finishReasonOf('something_new'), 'stop');
    assert.equal(finishReasonOf('toString'), 'stop', 'no prototype keys');
    assert.equal(finishReasonOf(undefined), 'stop');
  });

  describe('through the wire fixture server', () => {
    let wire: WireServer;
    before(async () => { wire = await startWireServer(); });
    after(async () => { await wire.close(); });

    it('a server that ends with finish_reason "eos" gives a valid request.end with "stop"', async () => {
      wire.enqueue({ name: 'eos', steps: [{ data: chunk({ content: 'Done.' }) }, { data: chunk({}, 'eos') }, { data: usageChunk(BASE_USAGE) }] });
      const r = await runRequest({ prompt: 'Hi?', command: 'ask', endpoint: { profile: fixtureProfile(wire.url) }, getApiKey: async () => undefined });
      assertValidEvents(r.events);
      assert.equal(r.answer, 'Done.');
      assert.equal(ofType(r.events, 'request.end')[0].finishReason, 'stop');
      assert.equal(r.finishReason, 'stop');
    });
  });
});
