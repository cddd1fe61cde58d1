import assert from 'node:assert/strict';
import { toOpenAiMessages, toOpenAiTools, parseToolInput } from '../../../src/vscode/lm/messages';

// Shapes of VS Code's LanguageModel*Part classes (the `vscode` module is not loadable in plain Node).
const text = (value: string) => ({ value });
const call = (callId: string, name: string, input: object) => ({ callId, name, input });
const result = (callId: string, content: unknown[]) => ({ callId, content });

describe('vscode.lm messages -> Chat Completions', () => {
  it('maps a tool round: assistant tool_calls, then one tool message per result', () => {
    const out = toOpenAiMessages([
      { role: 1, content: [text('list the files')] },
      { role: 2, content: [text(''), call('c1', 'list_files', { path: 'src' })] },
      { role: 1, content: [result('c1', [text('a.ts\n'), text('b.ts')])] },
    ]);
    assert.deepEqual(out, [
      { role: 'user', content: 'list the files' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'list_files', arguments: '{"path":"src"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'a.ts\nb.ts' },
    ]);
  });

  it('keeps system messages and skips parts it cannot send (images)', () => {
    const out = toOpenAiMessages([
      { role: 3, content: [text('be brief')] },
      { role: 1, content: [{ mimeType: 'image/png', data: new Uint8Array(1) }, text('hi')] },
    ]);
    assert.deepEqual(out, [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }]);
  });

  it('passes tool schemas through and parses streamed arguments', () => {
    assert.equal(toOpenAiTools([]), undefined);
    assert.deepEqual(toOpenAiTools([{ name: 't', description: 'd' }]), [{ type: 'function', function: { name: 't', description: 'd', parameters: { type: 'object', properties: {} } } }]);
    assert.deepEqual(parseToolInput('{"a":1}'), { input: { a: 1 } });
    assert.match(parseToolInput('{"a":').error ?? '', /not JSON/);
  });
});
