import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toChatTool } from '../../../src/core/tools/schema';
import { readFileTool } from '../../../src/core/tools/readTools';
import { makeRunner, tempWorkspace } from './helpers';

describe('tool runner: loop limits and schemas', () => {
  let ws: { root: string; cleanup(): void };
  beforeEach(() => { ws = tempWorkspace({ 'a.txt': 'alpha\n', 'b.txt': 'beta\n' }); });
  afterEach(() => ws.cleanup());

  it('refuses a call repeated word for word (key order ignored) and stops the loop on the second repeat', async () => {
    const { runner } = makeRunner({ root: ws.root });
    const first = await runner.runRound([{ id: '1', name: 'read_file', arguments: '{"path":"a.txt","ranges":[{"start_line":1,"end_line":1}]}' }]);
    assert.equal(first.results[0].ok, true);
    const again = await runner.runRound([{ id: '2', name: 'read_file', arguments: '{"ranges":[{"end_line":1,"start_line":1}],"path":"a.txt"}' }]);
    assert.match(again.results[0].content, /You already called read_file with exactly these arguments/);
    assert.equal(again.stop, undefined, 'the model is told once first');
    const third = await runner.runRound([{ id: '3', name: 'read_file', arguments: '{"path":"a.txt","ranges":[{"start_line":1,"end_line":1}]}' }]);
    assert.equal(third.stop, 'repeat');
  });

  it('bounds the total tool output of a request and marks the cut', async () => {
    fs.writeFileSync(path.join(ws.root, 'big.txt'), Array.from({ length: 1200 }, (_, i) => `row ${i} of a fairly long line of text`).join('\n'));
    const { runner, events } = makeRunner({ root: ws.root, maxOutputTokens: 1000 });
    const r = await runner.runRound([
      { id: '1', name: 'read_file', arguments: '{"path":"big.txt"}' },
      { id: '2', name: 'read_file', arguments: '{"path":"a.txt"}' },
    ]);
    assert.equal(r.stop, 'output-budget');
    assert.match(r.results[0].content, /\[… output truncated: this request's tool output budget \(1000 tokens\) is used up\]$/);
    assert.ok(runner.outputTokensUsed <= 1000);
    assert.match(r.results[1].content, /Not run: this request's tool output budget/);
    assert.deepEqual(events.filter((e) => e.type === 'tool.result').length, 2, 'every call gets a result for the model');
  });

  it('generates the model\'s JSON schema from the zod schema', () => {
    const spec = toChatTool(readFileTool);
    assert.equal(spec.function.name, 'read_file');
    const params = spec.function.parameters as { type: string; properties: Record<string, { type: string }>; required: string[]; $schema?: string };
    assert.equal(params.type, 'object');
    assert.equal(params.properties.path.type, 'string');
    assert.deepEqual(params.required, ['path']);
    assert.equal(params.$schema, undefined);
    assert.doesNotMatch(JSON.stringify(params), /9007199254740991/);
  });

  it('does not run a call once the request is cancelled, but still answers it', async () => {
    const controller = new AbortController();
    controller.abort();
    const { runner, events } = makeRunner({ root: ws.root, signal: controller.signal });
    const r = await runner.runRound([{ id: '1', name: 'read_file', arguments: '{"path":"a.txt"}' }]);
    assert.equal(r.stop, 'cancelled');
    assert.match(r.results[0].content, /Cancelled/);
    assert.deepEqual(events.map((e) => e.type), ['tool.call', 'tool.result']);
  });
});
