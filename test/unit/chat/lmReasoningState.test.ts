import assert from 'node:assert/strict';
import { encodeReasoningState, REASONING_STATE_MIME, toOpenAiMessages } from '../../../src/vscode/lm/messages';
import { buildRequestBody, resolveProfile } from '../../../src/core/model';

// VS Code's LanguageModelDataPart shape: what Ponder's provider reports and VS Code hands back.
const data = (mimeType: string, bytes: Uint8Array) => ({ mimeType, data: bytes });

describe('vscode.lm: opaque reasoning state rides on the assistant message VS Code hands back', () => {
  it('a data part from Ponder becomes the assistant message\'s reasoning, sent unchanged to the same endpoint only', () => {
    const p = resolveProfile({ id: 'mai', provider: 'foundry', baseUrl: 'https://contoso.services.ai.azure.com', model: 'mai-1' });
    const value = { encrypted_content: 'gAAAAB-lm-opaque', content: null, summary: null };
    const messages = toOpenAiMessages([
      { role: 1, content: [{ value: 'Q1' }] },
      { role: 2, content: [{ value: 'A1' }, data(REASONING_STATE_MIME, encodeReasoningState({ endpoint: `${p.baseUrl}|mai-1`, value }))] },
      { role: 1, content: [{ value: 'Q2' }] },
    ]);
    const body = buildRequestBody(p, { model: 'mai-1', messages, keepReasoning: true });
    assert.deepEqual((body.messages as unknown[])[1], { role: 'assistant', content: 'A1', reasoning: value });
    // Another extension's data part, or a broken one, is ignored.
    const other = toOpenAiMessages([{ role: 2, content: [{ value: 'A' }, data('stateful_marker', new Uint8Array([1, 2])), data(REASONING_STATE_MIME, new TextEncoder().encode('{not json'))] }]);
    assert.deepEqual(other, [{ role: 'assistant', content: 'A' }]);
  });
});
