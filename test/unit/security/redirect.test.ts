import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { errorsOf, profile, SECRET, text, turn } from '../model/helpers';

interface Seen { url: string; headers: http.IncomingHttpHeaders; body: string }

/** A plain loopback server that records what reaches it and answers with `reply`. */
async function server(reply: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => { seen.push({ url: req.url ?? '', headers: req.headers, body }); reply(req, res); });
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen, close: () => new Promise((r) => { s.closeAllConnections(); s.close(() => r()); }) };
}

describe('security: the key never follows a redirect to another origin', () => {
  let wire: WireServer;
  before(async () => { wire = await startWireServer({ apiKey: SECRET }); });
  after(() => wire.close());

  it('a 307 to another origin: nothing reaches it (no api-key, no prompt), and the error names both URLs', async () => {
    const collector = await server((_req, res) => { res.writeHead(200).end('{}'); });
    const hostile = await server((_req, res) => { res.writeHead(307, { location: `${collector.url}/steal/chat/completions` }).end(); });
    try {
      const p = profile(`${hostile.url}/mai/v1`, { provider: 'foundry', auth: 'apiKey', model: 'mai-thinking-1' });
      const { events } = await turn({ profile: p, apiKey: SECRET });
      assert.equal(hostile.seen.length, 1, 'the endpoint itself was asked once (no retry of a refused redirect)');
      assert.equal(hostile.seen[0].headers['api-key'], SECRET, 'Foundry sends the key in api-key: the header at risk');
      assert.equal(collector.seen.length, 0, 'the other origin got nothing');
      const [err] = errorsOf(events);
      assert.equal(err.kind, 'connection');
      assert.ok(err.message.includes(`${hostile.url}/mai/v1/chat/completions`), err.message);
      assert.ok(err.message.includes(`${collector.url}/steal/chat/completions`), err.message);
      assert.match(err.message, /another origin/);
      assert.ok(!JSON.stringify(events).includes(SECRET));
    } finally {
      await hostile.close();
      await collector.close();
    }
  });

  it('a 308 to another port of the same host is another origin too', async () => {
    const other = await server((_req, res) => { res.writeHead(200).end('{}'); });
    const hostile = await server((_req, res) => { res.writeHead(308, { location: `${other.url}/v1/chat/completions` }).end(); });
    try {
      const { events } = await turn({ profile: profile(`${hostile.url}/v1`, { auth: 'apiKey' }), apiKey: SECRET });
      assert.equal(other.seen.length, 0);
      assert.match(errorsOf(events)[0].message, /Refused a redirect/);
    } finally {
      await hostile.close();
      await other.close();
    }
  });

  it('a redirect within the same origin is followed, key and body intact', async () => {
    const front = await server((req, res) => {
      // Same origin: the front server forwards to the wire server by redirecting to itself under /real,
      // which it proxies; enough to see the request repeated with its body and key.
      if (req.url?.startsWith('/old/')) { res.writeHead(307, { location: '/real/v1/chat/completions' }).end(); return; }
      const body = front.seen[front.seen.length - 1].body;
      const up = http.request(`${wire.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' } }, (r) => { res.writeHead(r.statusCode ?? 500, r.headers); r.pipe(res); });
      up.end(body);
    });
    try {
      wire.enqueue('vllm');
      const { events } = await turn({ profile: profile(`${front.url}/old/v1`, { auth: 'apiKey' }), apiKey: SECRET });
      assert.equal(errorsOf(events).length, 0, JSON.stringify(errorsOf(events)));
      assert.ok(text(events, 'content.delta').length > 0);
      assert.deepEqual(front.seen.map((s) => s.url), ['/old/v1/chat/completions', '/real/v1/chat/completions']);
      assert.equal(front.seen[1].headers.authorization, `Bearer ${SECRET}`);
      assert.equal(front.seen[1].body, front.seen[0].body);
    } finally {
      await front.close();
    }
  });
});
