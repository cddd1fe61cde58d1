import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { outputReserve, resolveProfile, withServerContextWindow } from '../../../src/core/model/profiles';
import { renderContext, userMessage } from '../../../src/core/run/messages';
import { runRequest } from '../../../src/core/run/runRequest';
import { focusFromText, parseLineRange, renderFocus, SelectionError } from '../../../src/core/run/selection';
import { startWireServer, type WireServer } from '../../fixtures/wire';
import { bodyMessages, fixtureProfile, ofType } from './helpers';

/** A 40-line TypeScript file whose lines say their own number, with two functions and a blank line 30. */
function fortyLines(): string {
  const lines: string[] = [];
  for (let i = 1; i <= 40; i++) lines.push(`const line${i} = ${i};`);
  lines[29] = '';
  lines[9] = 'export function parseConfig(text: string) {';
  lines[10] = '  const raw = JSON.parse(text); // line 11';
  lines[11] = '  return { port: raw.port ?? 8080 }; // line 12';
  lines[12] = '}';
  lines[19] = 'export function connect(host: string, port: number) {';
  lines[20] = '  const url = `http://${host}:${port}`; // line 21';
  lines[21] = '  if (!host) throw new Error("no host"); // line 22';
  lines[22] = '  return fetch(url); // line 23';
  lines[23] = '}';
  return lines.join('\n') + '\n';
}

describe('the selection block: the selected lines reach the model as the selection', () => {
  const text = fortyLines();

  it('a selection: names the file and 1-based lines and quotes exactly those lines, fenced', () => {
    const f = focusFromText('src/net.ts', text, [20, 24])!;
    assert.deepEqual(f.lines, [20, 24]);
    assert.equal(f.kind, 'selection');
    assert.equal(f.fileLines, 40);
    assert.equal(f.text, text.split('\n').slice(19, 24).join('\n'));
    const block = renderFocus(f);
    assert.match(block, /^### Selection: src\/net\.ts, lines 20-24 \(the user's selection, verbatim\)\n```ts\nexport function connect/);
    assert.ok(block.endsWith('  return fetch(url); // line 23\n}\n```'), block);
    assert.doesNotMatch(block, /line19|line25/);
  });

  it('inside the nonce-delimited data block, first, with the request naming file and lines', () => {
    const f = focusFromText('src/net.ts', text, [21, 22])!;
    const data = renderContext([{ path: 'src/other.ts', tokens: 3, reason: 'r', text: '### src/other.ts\n```ts\nx\n```\n\n' }], 'feedbeef', f);
    const open = data.indexOf('<workspace-data-feedbeef>');
    const close = data.indexOf('</workspace-data-feedbeef>');
    const sel = data.indexOf('### Selection: src/net.ts, lines 21-22');
    assert.ok(open >= 0 && open < sel && sel < data.indexOf('### src/other.ts') && data.indexOf('### src/other.ts') < close, data);
    const msg = userMessage('Explain the selected code.', data, f);
    assert.match(msg, /The user selected lines 21-22 of src\/net\.ts \(40 lines in the file\)\./);
    assert.ok(msg.indexOf('</workspace-data-feedbeef>') < msg.indexOf('The user selected'), 'the statement is outside the data, where instructions live');
    assert.ok(msg.endsWith("The user's request:\nExplain the selected code."));
  });

  it('a selection is shown even when nothing else was packed', () => {
    const f = focusFromText('a.py', 'x = 1\ny = 2\n', [2, 2])!;
    const data = renderContext([], 'abcd0123', f);
    assert.match(data, /<workspace-data-abcd0123>\n### Selection: a\.py, line 2 \(the user's selection, verbatim\)\n```python\ny = 2\n```\n<\/workspace-data-abcd0123>$/);
  });

  it('a fence longer than any backtick run in the selection, so the quote cannot be closed early', () => {
    const f = focusFromText('README.md', 'intro\n```sh\nnpm ci\n```\n', [1, 4])!;
    const block = renderFocus(f);
    assert.match(block, /\n````md\nintro\n```sh\nnpm ci\n```\n````$/);
  });

  it('no selection: the cursor line and the symbol around it', () => {
    const f = focusFromText('src/net.ts', text, undefined, 22)!;
    assert.equal(f.kind, 'cursor');
    assert.equal(f.symbol, 'connect');
    assert.deepEqual(f.lines, [20, 24]);
    assert.match(renderFocus(f), /^### Cursor: src\/net\.ts, line 22 in `connect` \(lines 20-24, verbatim\)/);
    assert.match(userMessage('Explain.', '', f), /^Nothing is selected; the cursor is on line 22 of src\/net\.ts, inside `connect` \(lines 20-24\)\./);
    // On a line in no symbol (a blank line between statements): a few lines around the cursor.
    const loose = focusFromText('src/net.ts', text, undefined, 30)!;
    assert.deepEqual(loose.lines, [25, 35]);
    assert.equal(loose.symbol, undefined);
  });

  it('a selection outside the file, or backwards, is refused naming the file and its line count', () => {
    assert.throws(() => focusFromText('src/net.ts', text, [500, 600]), (e: Error) => e instanceof SelectionError && e.message === 'lines 500-600 are outside src/net.ts: src/net.ts has 40 lines');
    assert.throws(() => focusFromText('src/net.ts', text, [38, 41]), /lines 38-41 run past the end of src\/net\.ts: src\/net\.ts has 40 lines/);
    assert.throws(() => focusFromText('src/net.ts', text, [24, 20]), /not a line range/);
    // The last line is selectable; a trailing newline adds no line 41.
    assert.equal(focusFromText('src/net.ts', text, [40, 40])!.text, 'const line40 = 40;');
  });

  it('one --selection parser: START:END or one line; malformed, zero and backwards ranges named', () => {
    assert.deepEqual(parseLineRange('20:24'), [20, 24]);
    assert.deepEqual(parseLineRange('7'), [7, 7]);
    assert.deepEqual(parseLineRange('20-24'), [20, 24]);
    assert.throws(() => parseLineRange('abc'), /--selection "abc" is not a line range: use START:END/);
    assert.throws(() => parseLineRange('0:3'), /lines start at 1/);
    assert.throws(() => parseLineRange('9:3'), /START \(9\) is after END \(3\)/);
  });
});

describe('runRequest: what the endpoint receives for a selection, and small windows', () => {
  let wire: WireServer;
  let root: string;
  before(async () => { wire = await startWireServer(); });
  after(async () => { await wire.close(); });
  beforeEach(() => {
    wire.requests.length = 0;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-sel-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src/net.ts'), fortyLines());
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('the received request states the selected lines and quotes them, and request.start carries them for the history', async () => {
    wire.enqueue('vllm');
    const r = await runRequest({
      command: 'explain', prompt: 'Explain the selected code.', endpoint: { profile: fixtureProfile(wire.url) }, getApiKey: async () => undefined,
      workspace: { port: new NodeWorkspace([root]), activeFile: path.join(root, 'src/net.ts'), selection: [20, 24] },
    });
    assert.equal(r.finishReason, 'stop');
    const user = String(bodyMessages(wire.chatRequests[0]).at(-1)?.content);
    assert.match(user, /The user selected lines 20-24 of src\/net\.ts/);
    assert.ok(user.includes('### Selection: src/net.ts, lines 20-24'), user);
    assert.ok(user.includes(fortyLines().split('\n').slice(19, 24).join('\n')), 'the selected text verbatim');
    assert.deepEqual(ofType(r.events, 'request.start')[0].focus, { path: 'src/net.ts', lines: [20, 24], kind: 'selection' });
  });

  it('a selection outside the file is not sent: a config error naming the file and its line count', async () => {
    const r = await runRequest({
      command: 'explain', prompt: 'Explain the selected code.', endpoint: { profile: fixtureProfile(wire.url) }, getApiKey: async () => undefined,
      workspace: { port: new NodeWorkspace([root]), activeFile: 'src/net.ts', selection: [500, 600] },
    });
    assert.equal(r.finishReason, 'error');
    assert.equal(r.error?.kind, 'config');
    assert.match(r.error!.message, /lines 500-600 are outside src\/net\.ts: src\/net\.ts has 40 lines/);
    assert.equal(wire.chatRequests.length, 0);
  });

  it('the output reserve scales with the window: a 6,144-token server keeps room to pack the selection and context', async () => {
    assert.equal(outputReserve(6144, 8192), 1536);
    assert.equal(outputReserve(32768, 8192), 8192);
    assert.equal(outputReserve(262144, 32768), 32768);
    assert.equal(outputReserve(1500, 8192), 750);
    const vllm = withServerContextWindow(resolveProfile({ id: 'small', provider: 'vllm', baseUrl: wire.url }), [{ id: 'test-model', contextWindow: 6144 }]);
    assert.equal(vllm.contextWindow, 6144);
    assert.equal(vllm.maxOutputTokens, 1536);
    wire.enqueue('vllm');
    const r = await runRequest({
      command: 'explain', prompt: 'Explain the selected code.', endpoint: { profile: vllm }, getApiKey: async () => undefined,
      workspace: { port: new NodeWorkspace([root]), activeFile: 'src/net.ts', selection: [20, 24] },
    });
    assert.equal(r.finishReason, 'stop', r.error?.message);
    const packed = ofType(r.events, 'context.packed')[0];
    assert.ok(packed.used > 0 && packed.budget <= 6144 - 1536, JSON.stringify(packed));
    const body = wire.chatRequests[0].body as { max_tokens?: number };
    assert.equal(body.max_tokens, 1536);
    assert.match(String(bodyMessages(wire.chatRequests[0]).at(-1)?.content), /### Selection: src\/net\.ts, lines 20-24/);
  });

  it('when not even the selection fits, it says so (error event) and sends nothing', async () => {
    fs.writeFileSync(path.join(root, 'src/big.ts'), Array.from({ length: 400 }, (_, i) => `export const value${i} = "${'x'.repeat(40)}";`).join('\n'));
    const tiny = resolveProfile({ id: 'tiny', provider: 'vllm', baseUrl: wire.url, model: 'test-model', contextWindow: 2048 });
    const r = await runRequest({
      command: 'explain', prompt: 'Explain the selected code.', endpoint: { profile: tiny }, getApiKey: async () => undefined,
      workspace: { port: new NodeWorkspace([root]), activeFile: 'src/big.ts', selection: [1, 400] },
    });
    assert.equal(r.finishReason, 'error');
    assert.equal(r.error?.kind, 'context-length');
    assert.match(r.error!.message, /^Not sent: the selection \(src\/big\.ts 1-400, about [\d,]+ tokens\) .* has a 2,048-token window with 1,024 kept for the answer/);
    assert.match(r.error!.action!, /Select fewer lines/);
    assert.equal(wire.chatRequests.length, 0);
  });
});

describe('the cursor focus: the symbol around the cursor line', () => {
  const cart = [
    "import { applyDiscount } from './pricing';",
    '',
    'export class Cart {',
    '  private readonly items: Item[] = [];',
    '',
    '  add(item: Item): void {',
    '    this.items.push({ ...item });',
    '  }',
    '',
    '  subtotal(): number {',
    '    return this.items.reduce((sum, i) => sum + i.unitPrice * i.quantity, 0);',
    '  }',
    '',
    '  total(): number {',
    '    const base = this.subtotal();',
    '    if (base > 100) {',
    '      return base * 0.9;',
    '    }',
    '    return base;',
    '  }',
    '}',
  ].join('\n');

  it("a method of a class, not the whole class; a statement inside a method stays with the method", () => {
    const f = focusFromText('src/cart.ts', cart, undefined, 11)!;
    assert.equal(f.symbol, 'subtotal');
    assert.deepEqual(f.lines, [10, 12]);
    const inner = focusFromText('src/cart.ts', cart, undefined, 17)!;
    assert.equal(inner.symbol, 'total');
    assert.deepEqual(inner.lines, [14, 20]);
  });
});
