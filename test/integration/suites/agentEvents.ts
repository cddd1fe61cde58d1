// A realistic agent task as events (as runAgent emits them), for the sidebar's agent item.

const usage = (prompt: number, completion: number) => ({ prompt, cached: 0, completion, reasoning: 40, cacheWrite: 0 });
const PLAN = ['Guard remove() against an unknown sku', 'Add a test for an unknown sku', 'Run the tests'];
const plan = (done: number) => PLAN.map((text, i) => ({ text, status: i < done ? 'done' : i === done ? 'in_progress' : 'pending' }));

/**
 * Step 1 plans and edits two files; step 2 runs the test check, which fails; step 3 fixes the
 * test and the check passes; step 4 closes the plan and answers. Each step starts with
 * agent.step.start, its events carry its number, and agent.step (tokens, cost) closes it.
 * `ended: false` stops inside step 3, before its check passed.
 */
export function agentTask(id: string, t: number, opts: { ended?: boolean; root?: string } = {}): unknown[] {
  const e = (dt: number, body: Record<string, unknown>) => ({ requestId: id, t: t + dt, ...body });
  const s = (step: number, dt: number, body: Record<string, unknown>) => e(dt, { step, ...body });
  const running = [
    e(0, { type: 'request.start', endpoint: 'wire', model: 'test-model', command: 'agent', prompt: 'Make remove() ignore unknown skus and add a test' }),
    e(1, {
      type: 'agent.task.start', taskId: id, task: 'Make remove() ignore unknown skus and add a test', root: opts.root ?? '/workspace', approve: 'commands',
      limits: { maxRounds: 40, maxTokens: 2_000_000, maxCost: 2, maxMs: 1_800_000 }, checks: [{ name: 'test', command: 'npm test' }], checkpoint: id,
    }),
    e(4, { type: 'agent.step.start', step: 1 }),
    s(1, 5, { type: 'reasoning.delta', text: 'The bug is in remove(): indexOf returns -1 for an unknown sku.' }),
    s(1, 10, { type: 'tool.call', id: 'c1', name: 'update_plan', arguments: JSON.stringify({ items: plan(0) }) }),
    s(1, 11, { type: 'tool.call', id: 'c2', name: 'edit_file', arguments: '{"path":"src/cart.ts"}' }),
    s(1, 12, { type: 'tool.call', id: 'c3', name: 'write_file', arguments: '{"path":"test/cart.test.mjs"}' }),
    s(1, 13, { type: 'agent.plan', items: plan(0) }),
    s(1, 14, { type: 'tool.result', id: 'c1', ok: true, summary: 'plan updated', ms: 1 }),
    s(1, 15, { type: 'agent.file', path: 'src/cart.ts', action: 'edited', diff: '@@ -22,1 +22,1 @@\n-    this.items.splice(index, 1);\n+    if (index >= 0) this.items.splice(index, 1);', added: 1, removed: 1 }),
    s(1, 15, { type: 'tool.result', id: 'c2', ok: true, summary: 'edited src/cart.ts', ms: 4 }),
    s(1, 16, { type: 'agent.file', path: 'test/cart.test.mjs', action: 'created', diff: "@@ -0,0 +1,3 @@\n+import { test } from 'node:test';\n+test('remove ignores an unknown sku', () => {});\n+", added: 3, removed: 0 }),
    s(1, 16, { type: 'tool.result', id: 'c3', ok: true, summary: 'created test/cart.test.mjs', ms: 3 }),
    e(20, { type: 'agent.step', step: 1, usage: usage(2400, 310), cost: 0.0031, ms: 2100, totalTokens: 2710, totalCost: 0.0031 }),
    e(25, { type: 'agent.step.start', step: 2 }),
    s(2, 26, { type: 'reasoning.delta', text: 'Now run the tests.' }),
    s(2, 30, { type: 'tool.call', id: 'c4', name: 'run_check', arguments: '{"name":"test"}' }),
    s(2, 32, { type: 'agent.check', name: 'test', command: 'npm test', state: 'running' }),
    s(2, 1500, { type: 'agent.check', name: 'test', command: 'npm test', state: 'failed', exitCode: 1, ms: 1460, output: 'not ok 1 - remove ignores an unknown sku\n  AssertionError: expected 2 items, got 1' }),
    s(2, 1501, { type: 'tool.result', id: 'c4', ok: false, summary: 'npm test failed (exit code 1)', ms: 1469, error: 'exit code 1' }),
    e(1510, { type: 'agent.step', step: 2, usage: usage(3100, 40), cost: 0.0032, ms: 900, totalTokens: 5850, totalCost: 0.0063 }),
    e(1590, { type: 'agent.step.start', step: 3 }),
    s(3, 1595, { type: 'reasoning.delta', text: 'The test had the wrong guard.' }),
    s(3, 1600, { type: 'tool.call', id: 'c5', name: 'edit_file', arguments: '{"path":"test/cart.test.mjs"}' }),
    s(3, 1601, { type: 'agent.file', path: 'test/cart.test.mjs', action: 'edited', diff: '@@ -2,1 +2,1 @@\n-test(...)\n+test(... fixed)', added: 1, removed: 1 }),
    s(3, 1601, { type: 'tool.result', id: 'c5', ok: true, summary: 'edited test/cart.test.mjs', ms: 3 }),
    s(3, 1610, { type: 'tool.call', id: 'c6', name: 'run_check', arguments: '{"name":"test"}' }),
    s(3, 1612, { type: 'agent.check', name: 'test', command: 'npm test', state: 'running' }),
  ];
  if (opts.ended === false) return running;
  return [
    ...running,
    s(3, 2800, { type: 'agent.check', name: 'test', command: 'npm test', state: 'passed', exitCode: 0, ms: 1190, output: 'ok 1 - remove ignores an unknown sku' }),
    s(3, 2801, { type: 'tool.result', id: 'c6', ok: true, summary: 'npm test passed', ms: 1191 }),
    e(2810, { type: 'agent.step', step: 3, usage: usage(3600, 120), cost: 0.0038, ms: 1300, totalTokens: 9570, totalCost: 0.0101 }),
    e(2990, { type: 'agent.step.start', step: 4 }),
    s(4, 3000, { type: 'tool.call', id: 'c7', name: 'update_plan', arguments: JSON.stringify({ items: plan(3) }) }),
    s(4, 3001, { type: 'agent.plan', items: plan(3) }),
    s(4, 3002, { type: 'tool.result', id: 'c7', ok: true, summary: 'plan updated', ms: 1 }),
    s(4, 3200, { type: 'content.delta', text: 'remove() now ignores an unknown sku, and a test covers it.' }),
    e(3210, { type: 'agent.step', step: 4, usage: usage(3900, 60), cost: 0.004, ms: 700, totalTokens: 13530, totalCost: 0.0141 }),
    e(3300, { type: 'usage', usage: usage(13000, 530) }),
    e(3301, { type: 'cost', amount: 0.0141, currency: 'USD', source: 'price-table' }),
    e(3302, {
      type: 'agent.task.end', taskId: id, reason: 'checks-passed', ok: true, message: 'The checks pass (npm test).', rounds: 4, usage: usage(13000, 530), cost: 0.0141, ms: 3300,
      files: [{ path: 'src/cart.ts', action: 'edited' }, { path: 'test/cart.test.mjs', action: 'created' }], checkpoint: id,
    }),
    e(3303, { type: 'request.end', finishReason: 'stop', ms: 3303 }),
  ];
}
