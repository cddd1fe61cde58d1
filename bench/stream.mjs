// Stream decoding benchmark. The wire fixture server runs in a child process and
// streams 20,000 chunks (reasoning, content, interleaved tool-call fragments) over loopback.
// In this process we measure the CPU time (user+system) to read the whole stream:
//   bare:   the openai SDK's own loop, `for await (const chunk of stream)`, touching each delta
//   ponder: streamTurn() (empty-data filter, decoder, <think> splitter, tool assembly, events)
// Runs alternate, median of RUNS each; target ratio ponder/bare <= 1.3.
// Then a paced stream (PACED chunks, one per network read) measures the delay from a chunk's
// arrival (bytes read from the socket) to its event being emitted; target median < 1 ms.
// Exit 1 when a target is missed.
/* global TransformStream, Response -- Node 20 globals */
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const CHUNKS = Number(process.env.CHUNKS ?? 20_000);
const RUNS = Number(process.env.RUNS ?? 9);
const PACED = Number(process.env.PACED ?? 2_000);
const require = createRequire(import.meta.url);

// Ponder's model layer as the extension ships it (bundled by esbuild), the SDK left external so
// both sides run the very same openai package.
// Under node_modules/.cache so the bundle resolves `openai` from this checkout.
fs.mkdirSync('node_modules/.cache', { recursive: true });
const out = fs.mkdtempSync(path.resolve('node_modules/.cache/ponder-bench-stream-'));
await esbuild.build({
  stdin: { contents: "export { streamTurn, resolveProfile } from './src/core/model';", resolveDir: process.cwd(), loader: 'ts' },
  outfile: path.join(out, 'model.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20',
  external: ['openai'], minify: true, logLevel: 'error',
});
const { streamTurn, resolveProfile } = require(path.join(out, 'model.cjs'));
const { default: OpenAI } = await import('openai');

const server = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/wire/serve.ts', '--port', '0', '--bench-chunks', String(CHUNKS), '--bench-paced', String(PACED)], { stdio: ['ignore', 'pipe', 'inherit'] });
const { url } = await new Promise((resolve, reject) => {
  server.stdout.once('data', (d) => resolve(JSON.parse(String(d).split('\n')[0])));
  server.once('exit', (code) => reject(new Error(`wire server exited ${code}`)));
});

const messages = [{ role: 'user', content: 'bench' }];
const cpuMs = (start) => { const d = process.cpuUsage(start); return (d.user + d.system) / 1000; };

async function bare(model) {
  const client = new OpenAI({ baseURL: url, apiKey: 'bench', maxRetries: 0 });
  const start = process.cpuUsage();
  const stream = await client.chat.completions.create({ model, messages, stream: true });
  let n = 0;
  for await (const chunk of stream) {
    const d = chunk.choices[0]?.delta;
    if (d) n += (d.content?.length ?? 0) + (d.reasoning?.length ?? 0) + (d.tool_calls?.length ?? 0);
  }
  return { cpu: cpuMs(start), n };
}

async function ponder(model, onEvent = () => {}) {
  const profile = resolveProfile({ id: 'bench', provider: 'vllm', baseUrl: url, model, maxRetries: 0 });
  const start = process.cpuUsage();
  let events = 0;
  const result = await streamTurn({ profile, messages, emit: (e) => { events++; onEvent(e); } });
  if (result.error) throw new Error(`ponder run failed: ${result.error.message}`);
  return { cpu: cpuMs(start), events, calls: result.toolCalls.length };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

try {
  const model = `bench-${CHUNKS}`;
  await bare(model); await ponder(model); // warm up JIT and connections
  const b = [];
  const p = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    if (i % 2) { p.push((last = await ponder(model)).cpu); b.push((await bare(model)).cpu); }
    else { b.push((await bare(model)).cpu); p.push((last = await ponder(model)).cpu); }
  }
  const ratio = median(p) / median(b);
  // Each pair ran back to back: the median of per-pair ratios is steadier on a busy machine.
  const pairRatio = median(p.map((x, i) => x / b[i]));

  // Arrival-to-event delay: note when bytes come off the socket, compare at each emitted event.
  let arrived = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const res = await realFetch(input, init);
    if (!res.body) return res;
    const stamp = new TransformStream({ transform(chunk, c) { arrived = performance.now(); c.enqueue(chunk); } });
    return new Response(res.body.pipeThrough(stamp), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  const delays = [];
  await ponder(`bench-paced-${PACED}`, (e) => { if (e.type === 'reasoning.delta' || e.type === 'content.delta') delays.push(performance.now() - arrived); });
  globalThis.fetch = realFetch;

  const report = {
    chunks: CHUNKS, runs: RUNS,
    bareCpuMs: +median(b).toFixed(1), ponderCpuMs: +median(p).toFixed(1), ratio: +ratio.toFixed(3), pairRatio: +pairRatio.toFixed(3), ratioTarget: 1.3,
    eventsPerRun: last.events, toolCalls: last.calls,
    delayMs: { samples: delays.length, median: +median(delays).toFixed(3), p95: +pct(delays, 0.95).toFixed(3), max: +Math.max(...delays).toFixed(3) }, delayTargetMs: 1,
  };
  console.log(`stream decode: ${CHUNKS} chunks, median of ${RUNS} runs`);
  console.log(`  bare openai SDK loop  ${report.bareCpuMs} ms CPU`);
  console.log(`  Ponder streamTurn     ${report.ponderCpuMs} ms CPU  (${report.eventsPerRun} events, ${report.toolCalls} tool calls)`);
  console.log(`  ratio                 ${report.ratio}x (target <= 1.3x); median of per-run-pair ratios ${report.pairRatio}x`);
  console.log(`  chunk arrival -> event: median ${report.delayMs.median} ms, p95 ${report.delayMs.p95} ms over ${report.delayMs.samples} paced chunks (target median < 1 ms)`);
  console.log(JSON.stringify(report));
  process.exitCode = ratio <= 1.3 && report.delayMs.median < 1 ? 0 : 1;
} finally {
  server.kill();
  fs.rmSync(out, { recursive: true, force: true });
}
