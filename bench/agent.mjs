// Agent mode benchmark.
//   step:       Ponder's own time per step between model turns: from the moment a model turn has
//               been received until the next turn is handed to the model client (tool calls run,
//               changes applied under the checkpoint, events emitted, limits checked, the prompt
//               measured and condensed if needed). The model is a stub that answers at once (a
//               fixed script: plan, reads, searches, edits, a new file, a rename), so only Ponder's
//               time is measured; no checks run (they are the project's own time). Repository: a
//               generated 5,000-file git repository. Target: median < 20 ms.
//   checkpoint: a task touching 50 files (40 edited, 5 created, 5 deleted): the checkpoint's time per
//               change (record before, record after), its size on disk against the files' bytes,
//               and the time to undo all 50.
// Medians over RUNS tasks (default 5). Exit 1 when the step target is missed.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const RUNS = Number(process.env.RUNS ?? 5);
const FILES = Number(process.env.FILES ?? 5000);
const require = createRequire(import.meta.url);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => `${x.toFixed(2)} ms`;

fs.mkdirSync('node_modules/.cache', { recursive: true });
const out = fs.mkdtempSync(path.resolve('node_modules/.cache/ponder-bench-agent-'));
await esbuild.build({
  stdin: { contents: "export { runAgent } from './src/core/agent/run'; export { Checkpoint } from './src/core/agent/checkpoint'; export { NodeWorkspace } from './src/core/context/nodeWorkspace';", resolveDir: process.cwd(), loader: 'ts' },
  outfile: path.join(out, 'agent.cjs'), bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error',
});
const { runAgent, Checkpoint, NodeWorkspace } = require(path.join(out, 'agent.cjs'));

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-bench-agent-'));
function generate(root) {
  const words = ['parse', 'config', 'render', 'token', 'cache', 'route', 'ledger', 'budget', 'stream', 'model'];
  for (let i = 0; i < FILES; i++) {
    const dir = path.join(root, 'src', `m${i % 50}`, `d${Math.floor(i / 50) % 10}`);
    fs.mkdirSync(dir, { recursive: true });
    const w = words[i % words.length];
    const body = [`import { helper${(i + 1) % FILES} } from '../util';`, ''];
    for (let f = 0; f < 8; f++) body.push(`export function ${w}${i}_${f}(input: string): string {`, `  // ${w} step ${f} of module ${i}`, `  return input.split('').reverse().join('') + '${w}${i}';`, '}', '');
    fs.writeFileSync(path.join(dir, `${w}${i}.ts`), body.join('\n'));
  }
  fs.writeFileSync(path.join(root, 'package.json'), '{"name":"bench","scripts":{"test":"node -e 0"}}\n');
  const git = (...a) => execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@example.invalid', '-c', 'commit.gpgsign=false', ...a], { cwd: root, stdio: 'pipe' });
  git('init', '-q'); git('add', '-A'); git('commit', '-qm', 'init');
}

const repo = path.join(base, 'repo');
fs.mkdirSync(repo);
const t0 = performance.now();
generate(repo);
console.log(`repository: ${FILES} files generated and committed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

/** The scripted model: one list of tool calls per turn, then a summary. */
function script(run) {
  const f = (i) => { const w = ['parse', 'config', 'render', 'token', 'cache', 'route', 'ledger', 'budget', 'stream', 'model'][i % 10]; return `src/m${i % 50}/d${Math.floor(i / 50) % 10}/${w}${i}.ts`; };
  const turns = [[['update_plan', { items: [{ text: 'Find the parser', status: 'in_progress' }, { text: 'Change it', status: 'pending' }, { text: 'Add a test', status: 'pending' }] }]]];
  for (let k = 0; k < 6; k++) {
    const i = (run * 97 + k * 13) % FILES;
    turns.push([['read_file', { path: f(i) }]]);
    turns.push([['search_text', { query: `parse${i}_3` }]]);
    turns.push([['edit_file', { path: f(i), edits: [{ old_text: `// parse step 3 of module ${i}`.replace('parse', ['parse', 'config', 'render', 'token', 'cache', 'route', 'ledger', 'budget', 'stream', 'model'][i % 10]), new_text: `// changed in run ${run}` }] }]]);
  }
  turns.push([['write_file', { path: `src/new/run${run}.ts`, content: 'export const x = 1;\n'.repeat(40) }], ['update_plan', { items: [{ text: 'Find the parser', status: 'done' }, { text: 'Change it', status: 'done' }, { text: 'Add a test', status: 'in_progress' }] }]]);
  turns.push([['rename_file', { from: `src/new/run${run}.ts`, to: `src/new/renamed${run}.ts` }]]);
  turns.push([['list_files', { path: 'src/new' }]]);
  return turns;
}

const stepTimes = [];
const perTool = new Map();
for (let run = 0; run < RUNS; run++) {
  const turns = script(run);
  let i = 0;
  let returnedAt;
  const gaps = [];
  const usage = { prompt: 1000, cached: 0, completion: 100, reasoning: 0, cacheWrite: 0 };
  const streamTurn = async (req) => {
    if (returnedAt !== undefined) gaps.push(performance.now() - returnedAt);
    const calls = turns[i++];
    let result;
    if (!calls) result = { content: 'Done.', reasoning: '', toolCalls: [], finishReason: 'stop', usage };
    else {
      const toolCalls = calls.map(([name, args], j) => ({ id: `c${i}_${j}`, name, arguments: JSON.stringify(args) }));
      for (const c of toolCalls) req.emit({ type: 'tool.call', id: c.id, name: c.name, arguments: c.arguments });
      result = { content: '', reasoning: '', toolCalls, finishReason: 'tool_calls', usage };
    }
    returnedAt = performance.now();
    return result;
  };
  const names = new Map();
  const r = await runAgent({
    task: 'Change the parser comments and add a module.', root: repo, checkpointDir: path.join(base, 'state'),
    endpoint: { profile: { id: 'bench', label: 'bench', provider: 'vllm', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', auth: 'none', authHeader: 'bearer', headers: {}, encryptedReasoning: false, privateReasoning: false, effortControl: false, contextWindow: 131072, contextWindowSource: 'profile', maxOutputTokens: 8192, reasoningEffortStyle: 'none', developerRole: 'system', allowsTemperature: false, maxTokensParam: 'max_tokens', sendReasoningBack: false, reasoningField: 'reasoning', includeUsage: true, pricing: { inputPerMTok: 1, outputPerMTok: 4 }, timeoutSeconds: 60, maxRetries: 0 } },
    getApiKey: async () => undefined, host: new NodeWorkspace([{ name: 'repo', path: repo }]),
    contextBudget: 0, deps: { streamTurn },
    onEvent: (e) => { if (e.type === 'tool.call') names.set(e.id, e.name); if (e.type === 'tool.result') { const n = names.get(e.id); if (!perTool.has(n)) perTool.set(n, []); perTool.get(n).push(e.ms); } },
  });
  if (r.reason !== 'done') { console.error(`run ${run}: the task ended "${r.reason}": ${r.message}`); process.exit(1); }
  stepTimes.push(...gaps);
  // Put the repository back for the next run (the checkpoint's own undo).
  await r.checkpoint.undo();
  if (execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }).trim()) { console.error('undo left changes'); process.exit(1); }
}
const stepMedian = median(stepTimes);
const sorted = [...stepTimes].sort((a, b) => a - b);
console.log(`step (Ponder's time between model turns): median ${ms(stepMedian)}, p90 ${ms(sorted[Math.floor(sorted.length * 0.9)])}, max ${ms(sorted.at(-1))} over ${stepTimes.length} steps (${RUNS} tasks on ${FILES} files); target < 20 ms`);
for (const [name, xs] of [...perTool].sort()) console.log(`  ${name.padEnd(12)} median ${ms(median(xs))} per call (${xs.length} calls; the tool.result event's ms)`);

// Checkpoint of a task touching 50 files.
const cpTimes = [];
const undoTimes = [];
let size = 0;
let bytes = 0;
for (let run = 0; run < RUNS; run++) {
  const cp = await Checkpoint.create({ dir: path.join(base, 'cp-state'), taskId: `bench-${run}`, root: repo });
  const files = [];
  for (let k = 0; k < 40; k++) files.push({ rel: (() => { const i = (run * 131 + k * 37) % FILES; const w = ['parse', 'config', 'render', 'token', 'cache', 'route', 'ledger', 'budget', 'stream', 'model'][i % 10]; return `src/m${i % 50}/d${Math.floor(i / 50) % 10}/${w}${i}.ts`; })(), op: 'edit' });
  for (let k = 0; k < 5; k++) files.push({ rel: `src/created/f${run}_${k}.ts`, op: 'create' });
  for (let k = 0; k < 5; k++) { const i = (run * 131 + 40 * 37 + k * 41) % FILES; const w = ['parse', 'config', 'render', 'token', 'cache', 'route', 'ledger', 'budget', 'stream', 'model'][i % 10]; files.push({ rel: `src/m${i % 50}/d${Math.floor(i / 50) % 10}/${w}${i}.ts`, op: 'delete' }); }
  bytes = files.filter((x) => x.op !== 'create').reduce((n, x) => n + fs.statSync(path.join(repo, x.rel)).size, 0);
  for (const x of files) {
    const abs = path.join(repo, x.rel);
    const t = performance.now();
    await cp.before(x.rel);
    cpTimes.push(performance.now() - t);
    if (x.op === 'delete') fs.rmSync(abs);
    else { fs.mkdirSync(path.dirname(abs), { recursive: true }); fs.writeFileSync(abs, x.op === 'create' ? 'new\n' : fs.readFileSync(abs, 'utf8') + '// edited\n'); }
    const t2 = performance.now();
    await cp.after(x.rel, x.op === 'delete' ? null : fs.readFileSync(abs));
    cpTimes[cpTimes.length - 1] += performance.now() - t2;
  }
  size = await cp.sizeOnDisk();
  const tu = performance.now();
  const rep = await cp.undo();
  undoTimes.push(performance.now() - tu);
  if (rep.conflicts.length || rep.failed.length || execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }).trim()) { console.error('checkpoint undo did not restore the repository'); process.exit(1); }
}
console.log(`checkpoint, 50 files (40 edited, 5 created, 5 deleted): median ${ms(median(cpTimes))} per change (before + after), ${ms(median(cpTimes) * 50)} per task; on disk ${(size / 1024).toFixed(1)} KB for ${(bytes / 1024).toFixed(1)} KB of original files (${(size / bytes).toFixed(2)}×); undo of all 50: median ${ms(median(undoTimes))}`);

fs.rmSync(base, { recursive: true, force: true });
fs.rmSync(out, { recursive: true, force: true });
process.exit(stepMedian < 20 ? 0 : 1);
