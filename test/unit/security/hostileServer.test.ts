import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorsOf, profile, SECRET, text, turn } from '../model/helpers';
import { MAX_SSE_EVENT_BYTES, MAX_SSE_LINE_BYTES, MAX_STREAM_BYTES } from '../../../src/core/model/streamLimits';

/** A loopback server that answers every request with `reply`. */
async function hostile(reply: (res: http.ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const s = http.createServer((req, res) => { req.resume(); req.on('end', () => reply(res)); });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/v1`, close: () => new Promise((r) => { s.closeAllConnections(); s.close(() => r()); }) };
}

const sse = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream' });
const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

/** Writes `piece` until the client goes away (or `max` bytes), respecting backpressure. */
function flood(res: http.ServerResponse, piece: string, max = Infinity): void {
  let sent = 0;
  const go = (): void => {
    while (sent < max) {
      sent += piece.length;
      if (!res.write(piece)) { res.once('drain', go); return; }
    }
    res.end();
  };
  res.on('close', () => { sent = Infinity; });
  go();
}

describe('security: a hostile server cannot exhaust memory or leak a key through its messages', function () {
  this.timeout(60_000);

  it(`an event-stream line with no newline stops at ${MAX_SSE_LINE_BYTES / 1048576} MB with an error naming the limit; what came before is kept`, async () => {
    const server = await hostile((res) => { sse(res); res.write(chunk('Partial answer. ')); flood(res.socket ? res : res, 'data: {"choices":[{"delta":{"content":"' + 'A'.repeat(65536)); });
    try {
      const heap0 = process.memoryUsage().rss;
      const { events } = await turn({ profile: profile(server.url) });
      const [err] = errorsOf(events);
      assert.ok(err, 'an error');
      assert.equal(err.kind, 'bad-response');
      assert.match(err.message, /event-stream line longer than 8 MB without a line break/);
      assert.ok(err.message.includes(server.url));
      assert.equal(text(events, 'content.delta'), 'Partial answer. ');
      assert.ok(process.memoryUsage().rss - heap0 < 400 * 1048576, 'memory stayed bounded');
    } finally {
      await server.close();
    }
  });

  it(`lines that never reach the blank line ending an event stop at ${MAX_SSE_EVENT_BYTES / 1048576} MB with an error naming the limit`, async () => {
    // Keep-alive comment lines with no blank line between them: one endless event, which the
    // SDK's decoder would hold (and openai 6 copy on every read) until the response ends.
    const server = await hostile((res) => { sse(res); res.write(chunk('Start. ')); flood(res, `: ${'x'.repeat(65530)}\n`, MAX_STREAM_BYTES + 4 * 65536); });
    try {
      const { events } = await turn({ profile: profile(server.url) });
      const [err] = errorsOf(events);
      assert.ok(err, 'an error');
      assert.equal(err.kind, 'bad-response');
      assert.match(err.message, /event-stream event longer than 8 MB without the blank line that ends an event/);
      assert.ok(err.message.includes(server.url));
      assert.equal(text(events, 'content.delta'), 'Start. ');
    } finally {
      await server.close();
    }
  });

  it(`a response of more than ${MAX_STREAM_BYTES / 1048576} MB stops with an error naming the limit`, async () => {
    // Each keep-alive comment is an event of its own, as servers send them.
    const pad = `: ${'x'.repeat(65529)}\n\n`;
    const server = await hostile((res) => { sse(res); res.write(chunk('Start. ')); flood(res, pad, MAX_STREAM_BYTES + 4 * 65536); });
    try {
      const { events } = await turn({ profile: profile(server.url) });
      const [err] = errorsOf(events);
      assert.ok(err, 'an error');
      assert.match(err.message, /streamed more than 256 MB/);
      assert.equal(text(events, 'content.delta'), 'Start. ');
    } finally {
      await server.close();
    }
  });

  it('a key that straddles the cut of a long server message leaks none of its characters', async () => {
    for (const before of [390, 396, 399, 400, 401]) {
      const server = await hostile((res) => { res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `${'x'.repeat(before)}${SECRET} was rejected${'y'.repeat(200)}` } })); });
      try {
        const { events } = await turn({ profile: profile(server.url, { auth: 'apiKey' }), apiKey: SECRET });
        const all = JSON.stringify(events);
        for (let n = 4; n <= SECRET.length; n++) assert.ok(!all.includes(SECRET.slice(0, n)), `no ${n}-character prefix of the key (message cut after ${before})`);
      } finally {
        await server.close();
      }
    }
  });
});
