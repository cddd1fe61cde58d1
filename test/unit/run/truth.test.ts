import * as assert from 'node:assert/strict';
import { formatUsd } from '../../../src/core/format/money';
import { ledgerEntryFromEvents } from '../../../src/core/cost/fromEvents';
import type { PonderEvent } from '../../../src/core/events';
import { requestLogLine } from '../../../src/core/run/logLine';
import { runRequest } from '../../../src/core/run/runRequest';
import { formatFooter } from '../../../src/vscode/chat/prompts';
import { usd } from '../../../src/webview/format';
import { closedPort, startWireServer, type WireServer } from '../../fixtures/wire';
import { fixtureProfile, ofType } from './helpers';
import { resolveProfile } from '../../../src/core/model/profiles';

describe('messages that are true', () => {
  it('one money format: the footer, the sidebar and core write the same amount the same way', () => {
    for (const [n, text] of [[0.006891, '$0.0069'], [0.0123, '$0.0123'], [0.4874, '$0.4874'], [1.266, '$1.27'], [1234.5, '$1,234.50'], [0.000012, '$0.000012'], [0, '$0.00']] as const) {
      assert.equal(formatUsd(n), text);
      assert.equal(usd(n), text, 'sidebar');
      assert.ok(formatFooter({ endpoint: 'e', model: 'm', cost: { amount: n, source: 'price-table' } }).includes(` · ${text}`), 'chat footer');
    }
    assert.equal(usd(null), '—');
    assert.equal(formatUsd(null), 'price not set');
  });

  describe('with the wire server', () => {
    let wire: WireServer;
    before(async () => { wire = await startWireServer(); });
    after(async () => { await wire.close(); });

    it('a model the server picks is "server default", never "((server default))"', async () => {
      wire.enqueue('vllm');
      const p = resolveProfile({ id: 'nomodel', provider: 'vllm', baseUrl: wire.url, contextWindow: 32768 });
      const r = await runRequest({ prompt: 'hi', endpoint: { profile: p }, getApiKey: async () => undefined });
      const start = ofType(r.events, 'request.start')[0];
      assert.equal(start.model, 'server default');
      assert.doesNotMatch(requestLogLine(r.events)!.line, /\(\(|\(server default\)/);
    });

    it('a request that never connected: no usage, no cost, no ledger line, and it says nothing was billed', async () => {
      const url = await closedPort();
      const r = await runRequest({ prompt: 'hi', endpoint: { profile: fixtureProfile(url) }, getApiKey: async () => undefined });
      assert.equal(r.finishReason, 'error');
      assert.equal(r.error?.kind, 'connection');
      assert.equal(ofType(r.events, 'usage').length, 0);
      assert.equal(ofType(r.events, 'cost').length, 0);
      assert.ok(ofType(r.events, 'notice').some((n) => n.message === `Nothing reached ${url}, so nothing was billed.`));
      assert.equal(ledgerEntryFromEvents(r.events), undefined, 'not in the ledger: not "+1 unpriced" anywhere');
      assert.doesNotMatch(JSON.stringify(r.events), /may still bill/);
    });

    it('one log line per request with endpoint, model, tokens, cost, time and outcome; failures at error level', async () => {
      wire.enqueue('vllm');
      const ok = await runRequest({ command: 'explain', prompt: 'hi', endpoint: { profile: fixtureProfile(wire.url) }, getApiKey: async () => undefined });
      const line = requestLogLine(ok.events)!;
      assert.equal(line.level, 'info');
      assert.match(line.line, /^request [0-9a-f]{8} · explain · endpoint fixture · model test-model · 120 in \(64 cached\) \/ 48 out \(30 reasoning\) tokens · \$0\.\d+ · \d+\.\d s · done$/);
      const url = await closedPort();
      const failed = await runRequest({ prompt: 'hi', endpoint: { profile: fixtureProfile(url) }, getApiKey: async () => undefined });
      const bad = requestLogLine(failed.events)!;
      assert.equal(bad.level, 'error');
      assert.match(bad.line, new RegExp(`no tokens · no cost · .* · failed \\(connection\\): No server at ${url.replace(/[.]/g, '\\.')}`));
    });
  });

  it('a log line for a cancelled request is a warning', () => {
    const t = 1;
    const events: PonderEvent[] = [
      { type: 'request.start', requestId: 'abcdef0123', t, endpoint: 'e', model: 'm' },
      { type: 'request.end', requestId: 'abcdef0123', t, finishReason: 'cancelled', ms: 1500 },
    ];
    assert.deepEqual(requestLogLine(events), { level: 'warning', line: 'request abcdef01 · ask · endpoint e · model m · no tokens · no cost · 1.5 s · cancelled' });
  });
});
