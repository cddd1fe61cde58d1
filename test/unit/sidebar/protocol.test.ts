import assert from 'node:assert/strict';
import { HostMessageSchema, WebviewMessageSchema } from '../../../src/core/protocol/messages';
import { sampleRequest } from './events';

describe('sidebar message protocol', () => {
  it('accepts a snapshot with events, summaries and a header', () => {
    const m = HostMessageSchema.parse({
      type: 'snapshot', selected: 'req-1', events: sampleRequest(),
      requests: [{ requestId: 'req-1', endpoint: 'e', model: 'm', status: 'done', startedAt: 1, cost: null }],
      header: { endpoint: { id: 'e', label: 'Team vLLM', model: 'm', health: { state: 'up' } }, spend: { session: 0.1, today: 1, month: 3, budgetDaily: 5, currency: 'USD' } },
    });
    assert.equal(m.type === 'snapshot' && m.events.length, sampleRequest().length);
    // The event bodies pass through whole.
    assert.equal(m.type === 'snapshot' && (m.events[1] as { budget?: number }).budget, 8000);
  });

  it('rejects events of an unknown type and malformed messages', () => {
    assert.equal(HostMessageSchema.safeParse({ type: 'update', requests: [], events: [{ type: 'bogus', requestId: 'r', t: 1 }] }).success, false);
    assert.equal(HostMessageSchema.safeParse({ type: 'snapshot' }).success, false);
  });

  it('lets the webview ask only for known actions', () => {
    assert.ok(WebviewMessageSchema.safeParse({ type: 'action', action: 'cancel', requestId: 'r' }).success);
    assert.ok(WebviewMessageSchema.safeParse({ type: 'approve', requestId: 'r', callId: 'c', allow: true, forSession: true }).success);
    assert.equal(WebviewMessageSchema.safeParse({ type: 'action', action: 'runAnyCommand' }).success, false);
    // A fix is named by its index on the request, never by a command id from the page.
    assert.equal(WebviewMessageSchema.safeParse({ type: 'runFix', requestId: 'r', command: 'workbench.action.terminal.sendSequence' }).success, false);
    assert.equal(WebviewMessageSchema.safeParse({ type: 'openFile', path: 'a.ts', range: [1] }).success, false);
  });
});
