import type { PonderEvent } from '../../../src/core/events';

/** A realistic request: context, reasoning, a tool call that waits for approval, answer, usage, cost. */
export function sampleRequest(id = 'req-1', t0 = 1_700_000_000_000): PonderEvent[] {
  let t = t0;
  const at = () => (t += 10);
  return [
    { type: 'request.start', requestId: id, t: t0, endpoint: 'team-vllm', model: 'mai-thinking-1', command: 'explain', prompt: 'Why?' },
    { type: 'context.packed', requestId: id, t: at(), budget: 8000, used: 1200, window: 131072, items: [{ path: 'src/a.ts', ranges: [[10, 40]], tokens: 900, reason: 'selection' }], withheld: [{ path: '.env', reason: 'secret file' }], partial: false },
    { type: 'reasoning.delta', requestId: id, t: at(), text: 'Let me ' },
    { type: 'reasoning.delta', requestId: id, t: at(), text: 'think.' },
    { type: 'tool.call', requestId: id, t: at(), id: 'call-1', name: 'read_file', arguments: '{"path":"src/a.ts"}' },
    { type: 'tool.approval', requestId: id, t: at(), id: 'call-1', state: 'asked' },
    { type: 'tool.approval', requestId: id, t: at(), id: 'call-1', state: 'granted', by: 'user' },
    { type: 'tool.result', requestId: id, t: at(), id: 'call-1', ok: true, summary: '40 lines', ms: 12 },
    { type: 'reasoning.delta', requestId: id, t: at(), text: ' Done.' },
    { type: 'content.delta', requestId: id, t: at(), text: 'It returns ' },
    { type: 'content.delta', requestId: id, t: at(), text: 'undefined.' },
    { type: 'usage', requestId: id, t: at(), usage: { prompt: 1500, cached: 1000, completion: 300, reasoning: 200, cacheWrite: 0 } },
    { type: 'cost', requestId: id, t: at(), amount: 0.0042, currency: 'USD', source: 'price-table', breakdown: { input: 0.001, output: 0.0032 } },
    { type: 'request.end', requestId: id, t: at(), finishReason: 'stop', ms: 130, firstTokenMs: 20 },
  ];
}
