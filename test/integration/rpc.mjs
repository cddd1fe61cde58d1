// The runner's loopback RPC: the harness reports results here and suites drive the browser
// through it (POST /rpc/<method> with JSON params; reply {ok, result} or {ok: false, error}).
import http from 'node:http';

/** Starts the server on 127.0.0.1 and a free port. `handlers` maps method names to async functions. */
export async function startRpcServer(handlers) {
  const server = http.createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const match = /^\/rpc\/([\w.]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return reply(404, { ok: false, error: `Unknown route ${req.method} ${req.url}` });
    const handler = handlers[match[1]];
    if (!handler) return reply(404, { ok: false, error: `Unknown RPC method ${match[1]}; known: ${Object.keys(handlers).join(', ')}` });
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      try {
        const params = body ? JSON.parse(body) : {};
        const result = await handler(params);
        reply(200, { ok: true, result: result ?? null });
      } catch (err) {
        reply(200, { ok: false, error: err instanceof Error ? err.message : String(err) });
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}
