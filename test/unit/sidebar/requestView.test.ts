import assert from 'node:assert/strict';
import { applyEvent, buildView, pendingApproval, prettyArguments } from '../../../src/core/protocol/requestView';
import { coalesceEvents } from '../../../src/core/protocol/coalesce';
import { sampleRequest } from './events';

describe('sidebar request view (folding events)', () => {
  it('shows reasoning, the answer, the tool call with its approval and result, usage and cost', () => {
    const v = buildView('req-1', sampleRequest());
    assert.equal(v.reasoning, 'Let me think.\n\n Done.', 'reasoning after a tool round starts a new paragraph');
    assert.equal(v.answer, 'It returns undefined.');
    assert.equal(v.status, 'done');
    assert.equal(v.tools.length, 1);
    assert.deepEqual(v.tools[0].approval, { state: 'granted', by: 'user', detail: undefined });
    assert.equal(v.tools[0].result?.summary, '40 lines');
    assert.equal(v.usage?.reasoning, 200);
    assert.equal(v.cost?.source, 'price-table');
    assert.equal(v.context?.withheld[0].path, '.env');
    assert.equal(v.end?.firstTokenMs, 20);
  });

  it('times the reasoning from its first delta to the answer, resuming after a tool round', () => {
    const events = sampleRequest();
    const v = buildView('req-1', events);
    const firstReasoning = events.find((e) => e.type === 'reasoning.delta')!.t;
    const firstContent = events.find((e) => e.type === 'content.delta')!.t;
    assert.equal(v.reasoningStartedAt, firstReasoning);
    assert.equal(v.reasoningEndedAt, firstContent);
  });

  it('reports a tool call waiting for approval until it is answered', () => {
    const events = sampleRequest().slice(0, 6);
    const v = buildView('req-1', events);
    assert.equal(v.status, 'running');
    assert.equal(pendingApproval(v)?.id, 'call-1');
    applyEvent(v, { type: 'tool.approval', requestId: 'req-1', t: 1, id: 'call-1', state: 'denied', by: 'user' });
    assert.equal(pendingApproval(v), undefined);
  });

  it('marks errors and cancellation, keeping the fix action', () => {
    const v = buildView('r', [
      { type: 'request.start', requestId: 'r', t: 1, endpoint: 'e', model: 'm' },
      { type: 'error', requestId: 'r', t: 2, kind: 'auth', message: 'The key for e was refused (401).', fix: { title: 'Set API Key', command: 'ponder.setApiKey', args: ['e'] } },
      { type: 'request.end', requestId: 'r', t: 3, finishReason: 'error', ms: 2 },
    ]);
    assert.equal(v.status, 'error');
    assert.equal(v.errors[0].fix?.command, 'ponder.setApiKey');
    const c = buildView('c', [
      { type: 'request.start', requestId: 'c', t: 1, endpoint: 'e', model: 'm' },
      { type: 'request.end', requestId: 'c', t: 3, finishReason: 'cancelled', ms: 2 },
    ]);
    assert.equal(c.status, 'cancelled');
  });

  it('ignores events of other requests', () => {
    const v = buildView('req-1', sampleRequest('req-2'));
    assert.equal(v.reasoning, '');
    assert.equal(v.model, undefined);
  });

  it('folds coalesced events to the same view as the raw stream', () => {
    const raw = sampleRequest();
    assert.deepEqual(buildView('req-1', coalesceEvents(raw)), buildView('req-1', raw));
  });

  it('pretty-prints JSON arguments and leaves broken JSON as sent', () => {
    assert.equal(prettyArguments('{"a":1}'), '{\n  "a": 1\n}');
    assert.equal(prettyArguments('{"a":'), '{"a":');
  });
});
