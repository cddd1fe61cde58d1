import assert from 'node:assert/strict';
import { filterBody } from '../../../src/core/model/sseFilter';

async function through(parts: string[]): Promise<string> {
  const enc = new TextEncoder();
  const stream = filterBody(new ReadableStream<Uint8Array>({ start(c) { for (const p of parts) c.enqueue(enc.encode(p)); c.close(); } }));
  let out = '';
  const dec = new TextDecoder();
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out += dec.decode(chunk, { stream: true });
  return out;
}

describe('empty data: line filter', () => {
  const input = 'data: {"a":1}\n\ndata:\n\n: PROCESSING\n\ndata: \r\n\r\ndata: {"b":"data:"}\n\n';
  const expected = 'data: {"a":1}\n\n\n: PROCESSING\n\n\r\ndata: {"b":"data:"}\n\n';

  it('removes empty data lines and nothing else, at every split position', async () => {
    for (let i = 0; i <= input.length; i++) {
      assert.equal(await through([input.slice(0, i), input.slice(i)]), expected, `split at ${i}`);
    }
    assert.equal(await through([...input]), expected);
  });

  it('cancelling the filtered body cancels the socket\'s stream', async () => {
    let cancelled: unknown;
    const body = filterBody(new ReadableStream<Uint8Array>({ pull() { /* never ends */ }, cancel(reason) { cancelled = reason; } }));
    await body.cancel('stop');
    assert.equal(cancelled, 'stop');
  });

  it('passes a stream without empty data lines through unchanged', async () => {
    const plain = 'data: {"x":"é"}\n\ndata: [DONE]\n\n';
    assert.equal(await through([plain]), plain);
  });
});
