import assert from 'node:assert/strict';
import { REDACTED, scrubText, traceToJsonl } from '../../../src/vscode/sidebar/scrub';
import { PonderEventSchema, type PonderEvent } from '../../../src/core/events';
import { sampleRequest } from './events';

describe('trace export (JSONL, scrubbed)', () => {
  it('writes one valid event per line, in order', () => {
    const events = sampleRequest();
    const lines = traceToJsonl(events).trimEnd().split('\n');
    assert.equal(lines.length, events.length);
    lines.forEach((line, i) => {
      const parsed = PonderEventSchema.parse(JSON.parse(line));
      assert.equal(parsed.type, events[i].type);
    });
  });

  it('removes keys and authorization headers a model or tool echoed into event text', () => {
    const leaky: PonderEvent[] = [
      { type: 'request.start', requestId: '0123456789abcdef0123456789abcdef', t: 1, endpoint: 'e', model: 'm' },
      { type: 'tool.result', requestId: '0123456789abcdef0123456789abcdef', t: 2, id: 'c', ok: true, ms: 1,
        summary: 'curl -H "Authorization: Bearer sk-or-v1-abcdefghijklmnopqrstuvwxyz012345" -H "api-key: 3f2a9c0d1e4b5a6c7d8e9f0a1b2c3d4e" https://x' },
      { type: 'content.delta', requestId: '0123456789abcdef0123456789abcdef', t: 3, text: 'Your key sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX and ghp_abcdefghijklmnopqrstuvwxyz0123 leak; AKIAABCDEFGHIJKLMNOP too. Token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U' },
      { type: 'error', requestId: '0123456789abcdef0123456789abcdef', t: 4, kind: 'auth', message: 'x-api-key=supersecretvalue123 was refused' },
    ];
    const out = traceToJsonl(leaky);
    for (const secret of ['sk-or-v1-abcdefghijklmnopqrstuvwxyz012345', '3f2a9c0d1e4b5a6c7d8e9f0a1b2c3d4e', 'sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX', 'ghp_abcdefghijklmnopqrstuvwxyz0123', 'AKIAABCDEFGHIJKLMNOP', 'eyJhbGciOiJIUzI1NiJ9', 'supersecretvalue123']) {
      assert.ok(!out.includes(secret), `${secret} must not be exported`);
    }
    assert.ok(out.includes(REDACTED));
    // Our own ids survive even when they look like hex keys; the text around secrets stays.
    assert.equal(JSON.parse(out.split('\n')[0]).requestId, '0123456789abcdef0123456789abcdef');
    assert.ok(out.includes('leak;'));
  });

  it('leaves ordinary text alone', () => {
    const text = 'The function `getKey()` returns the cached key for the endpoint; see commit 1a2b3c4d.';
    assert.equal(scrubText(text), text);
  });
});
