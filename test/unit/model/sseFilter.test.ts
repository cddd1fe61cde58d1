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

describe('the end of an event stream', () => {
  /** Reads the filtered body of a server that sends `parts` and then holds the response open. */
  async function heldOpen(parts: string[]): Promise<{ out: string; cancelled: boolean }> {
    const enc = new TextEncoder();
    let cancelled = false;
    let i = 0;
    const stream = filterBody(new ReadableStream<Uint8Array>({
      pull(c) { if (i < parts.length) c.enqueue(enc.encode(parts[i++])); /* then nothing, never closed */ },
      cancel() { cancelled = true; },
    }, { highWaterMark: 0 }));
    let out = '';
    const dec = new TextDecoder();
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out += dec.decode(chunk, { stream: true });
    return { out, cancelled };
  }

  it('ends the body at the data: [DONE] line, split anywhere, and lets the socket go', async () => {
    for (const done of ['data: [DONE]\n\n', 'data:[DONE]\r\n\r\n']) {
      const input = `data: {"a":1}\n\n${done}`;
      for (let i = 0; i <= input.length; i++) {
        const { out, cancelled } = await heldOpen([input.slice(0, i), input.slice(i)].filter(Boolean));
        // Everything up to the [DONE] line at least; what follows it in the same read may come too.
        assert.ok(out.startsWith(input.slice(0, input.indexOf('[DONE]') + 6)) && input.startsWith(out), `split at ${i}: ${JSON.stringify(out)}`);
        assert.ok(cancelled, `split at ${i}: the server's stream is cancelled`);
      }
      assert.ok((await heldOpen([...input])).out.includes('[DONE]'));
    }
  });

  it('does not end at "data: [DONE]" inside an event\'s JSON', async () => {
    const input = 'data: {"content":"data: [DONE]"}\n\ndata: {"content":"[DONE]"}\n\n';
    assert.equal(await through([input]), input);
  });
});
