import { strict as assert } from 'node:assert';
import { costOfRequest, estimateRequest } from '../../../src/core/cost';
import { RAW, asClientWould } from './usageFixtures';

const near = (a: number | null, b: number, msg?: string) => {
  assert.ok(a !== null, msg ?? 'amount is null');
  assert.ok(Math.abs(a - b) < 1e-9, `${msg ?? ''} expected ${b}, got ${a}`);
};

describe('cost of a request', () => {
  describe('provider-reported cost (OpenRouter)', () => {
    it('uses usage.cost as reported, ignoring the profile price table', () => {
      const r = costOfRequest({ ...asClientWould(RAW.openrouter), pricing: { inputPerMTok: 100, outputPerMTok: 100 }, durationMs: 900 });
      assert.equal(r.source, 'provider');
      near(r.amount, 0.000095);
    });

    it('BYOK: cost is 0, the upstream inference cost is the real spend and the note says so', () => {
      const r = costOfRequest({ ...asClientWould(RAW.openrouterByok), durationMs: 20_000 });
      assert.equal(r.source, 'provider');
      near(r.amount, 0.01953);
      assert.match(r.note ?? '', /bring-your-own-key.*upstream_inference_cost/);
      assert.deepEqual(r.breakdown, { provider: 0, upstream: 0.01953 });
    });

    it('BYOK with an OpenRouter fee bills fee plus upstream', () => {
      const r = costOfRequest({ usage: asClientWould(RAW.openrouterByok).usage, providerCost: { cost: 0.001, upstreamCost: 0.02, isByok: true }, durationMs: 1 });
      near(r.amount, 0.021);
      assert.match(r.note ?? '', /OpenRouter fee/);
    });

    it('non-BYOK upstream cost is already inside cost: not added twice', () => {
      const r = costOfRequest({ usage: asClientWould(RAW.openrouter).usage, providerCost: { cost: 0.05, upstreamCost: 0.04, isByok: false }, durationMs: 1 });
      near(r.amount, 0.05);
    });

    it('cache_write_tokens with a provider cost: the provider figure wins', () => {
      const c = asClientWould(RAW.openrouterCacheWrite);
      assert.equal(c.usage.cacheWrite, 11000);
      const r = costOfRequest({ ...c, durationMs: 3000 });
      near(r.amount, 0.0531);
    });
  });

  describe('price table (USD per million tokens)', () => {
    const table = { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 };

    it('Foundry usage: cached tokens are inside prompt_tokens and billed once at the cached price; reasoning inside completion', () => {
      const r = costOfRequest({ ...asClientWould(RAW.foundry), pricing: table, durationMs: 12_000, endpoint: 'mai-foundry' });
      assert.equal(r.source, 'price-table');
      // (5210-4096)*2 + 4096*0.5 + 1843*8 per million
      near(r.breakdown?.input ?? -1, (1114 * 2) / 1e6);
      near(r.breakdown?.cached ?? -1, (4096 * 0.5) / 1e6);
      near(r.breakdown?.output ?? -1, (1843 * 8) / 1e6);
      near(r.amount, (1114 * 2 + 4096 * 0.5 + 1843 * 8) / 1e6);
      assert.equal(r.breakdown?.reasoning, undefined);
    });

    it('reasoningPerMTok set: reasoning billed at its own price, the rest of completion at output', () => {
      const r = costOfRequest({ ...asClientWould(RAW.foundry), pricing: { ...table, reasoningPerMTok: 4 }, durationMs: 1 });
      near(r.breakdown?.output ?? -1, ((1843 - 1216) * 8) / 1e6);
      near(r.breakdown?.reasoning ?? -1, (1216 * 4) / 1e6);
      near(r.amount, (1114 * 2 + 4096 * 0.5 + 627 * 8 + 1216 * 4) / 1e6);
    });

    it('no cached price: cached tokens billed at the input price, and the note says so', () => {
      const r = costOfRequest({ ...asClientWould(RAW.foundry), pricing: { inputPerMTok: 2, outputPerMTok: 8 }, durationMs: 1 });
      near(r.amount, (5210 * 2 + 1843 * 8) / 1e6);
      assert.match(r.note ?? '', /cached tokens billed at the input price/);
    });

    it('cache writes billed at cacheWritePerMTok, apart from uncached input', () => {
      const { usage } = asClientWould(RAW.openrouterCacheWrite);
      const r = costOfRequest({ usage, pricing: { inputPerMTok: 3, cacheWritePerMTok: 3.75, outputPerMTok: 15 }, durationMs: 1 });
      near(r.breakdown?.input ?? -1, (1000 * 3) / 1e6);
      near(r.breakdown?.cacheWrite ?? -1, (11000 * 3.75) / 1e6);
      near(r.amount, (1000 * 3 + 11000 * 3.75 + 400 * 15) / 1e6);
    });

    it('vLLM usage with null details prices every prompt token as uncached', () => {
      const r = costOfRequest({ ...asClientWould(RAW.vllmPlain), pricing: { inputPerMTok: 1, outputPerMTok: 2 }, durationMs: 1 });
      near(r.amount, (812 * 1 + 488 * 2) / 1e6);
    });

    it('a server reporting more reasoning than completion tokens gets them billed on top, with a note', () => {
      const r = costOfRequest({ usage: { prompt: 100, cached: 0, cacheWrite: 0, completion: 50, reasoning: 300 }, pricing: { inputPerMTok: 1, outputPerMTok: 10 }, durationMs: 1 });
      near(r.amount, (100 + 350 * 10) / 1e6);
      assert.match(r.note ?? '', /exceed completion/);
    });
  });

  describe('GPU-hour (self-hosted vLLM)', () => {
    it('bills the request its share of the server time: perHour / concurrency × duration', () => {
      // 4 GPUs at $4.96 each, 8 requests at once, 90 s.
      const r = costOfRequest({ ...asClientWould(RAW.vllm), pricing: { perHour: 4 * 4.96, concurrency: 8 }, durationMs: 90_000 });
      assert.equal(r.source, 'gpu-hour');
      near(r.amount, ((4 * 4.96) / 8) * (90 / 3600));
      assert.match(r.note ?? '', /90\.0 s of a \$19\.84\/h server shared by 8 requests/);
    });

    it('perHour wins over per-token prices in the same profile (those are for the break-even comparison)', () => {
      const r = costOfRequest({ ...asClientWould(RAW.vllm), pricing: { perHour: 3.6, inputPerMTok: 1, outputPerMTok: 1 }, durationMs: 1000 });
      assert.equal(r.source, 'gpu-hour');
      near(r.amount, 0.001);
    });
  });

  describe('unpriced', () => {
    it('no pricing: amount null, never a made-up figure, and the note names the profile', () => {
      const r = costOfRequest({ ...asClientWould(RAW.foundry), durationMs: 5000, endpoint: 'mai-foundry' });
      assert.equal(r.amount, null);
      assert.equal(r.source, 'unpriced');
      assert.equal(r.note, 'price not set: add "pricing" to profile "mai-foundry"');
    });

    it('half a price table is unpriced and says which field is missing', () => {
      const r = costOfRequest({ ...asClientWould(RAW.foundry), pricing: { inputPerMTok: 2 }, durationMs: 1, endpoint: 'x' });
      assert.equal(r.amount, null);
      assert.match(r.note ?? '', /set outputPerMTok in the pricing of profile "x"/);
    });
  });

  describe('cancelled and failed requests', () => {
    it('a cancelled request costs what its partial usage implies, and says so', () => {
      const r = costOfRequest({ usage: { prompt: 5000, cached: 0, cacheWrite: 0, completion: 120, reasoning: 120 }, pricing: { inputPerMTok: 2, outputPerMTok: 8 }, durationMs: 3000, partial: 'cancelled' });
      near(r.amount, (5000 * 2 + 120 * 8) / 1e6);
      assert.match(r.note ?? '', /^cancelled request: billed for the partial usage \(5000 prompt, 120 completion tokens\)/);
    });

    it('a failed request with a provider-reported cost keeps that cost', () => {
      const r = costOfRequest({ ...asClientWould(RAW.openrouter), durationMs: 1, partial: 'failed' });
      near(r.amount, 0.000095);
      assert.match(r.note ?? '', /^failed request: billed for the cost the provider reported/);
    });

    it('cancelled before any usage arrived: zero from the table, with a warning that the prompt may still be billed', () => {
      const r = costOfRequest({ usage: { prompt: 0, cached: 0, cacheWrite: 0, completion: 0, reasoning: 0 }, pricing: { inputPerMTok: 2, outputPerMTok: 8 }, durationMs: 1, partial: 'cancelled' });
      assert.equal(r.amount, 0);
      assert.match(r.note ?? '', /may still bill the prompt/);
    });
  });
});

describe('pre-flight estimate', () => {
  const pricing = { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 };

  it('is a worst case: never below the actual cost of the same request', () => {
    const actual = asClientWould(RAW.foundry);
    const est = estimateRequest({ promptTokens: actual.usage.prompt, maxOutputTokens: 4096, pricing });
    const real = costOfRequest({ ...actual, pricing, durationMs: 1 });
    assert.ok(est.amount !== null && real.amount !== null);
    assert.ok(est.amount >= real.amount, `estimate ${est.amount} < actual ${real.amount}`);
    near(est.amount, (5210 * 2 + 4096 * 8) / 1e6);
  });

  it('equals the actual cost when nothing is cached and the whole output allowance is used', () => {
    const usage = { prompt: 3000, cached: 0, cacheWrite: 0, completion: 1000, reasoning: 700 };
    const est = estimateRequest({ promptTokens: 3000, maxOutputTokens: 1000, pricing });
    near(est.amount, costOfRequest({ usage, pricing, durationMs: 1 }).amount ?? -1);
  });

  it('uses the dearer of output and reasoning prices', () => {
    const est = estimateRequest({ promptTokens: 0, maxOutputTokens: 1_000_000, pricing: { ...pricing, reasoningPerMTok: 12 } });
    near(est.amount, 12);
  });

  it('unpriced profile: null estimate with the reason', () => {
    const est = estimateRequest({ promptTokens: 10, maxOutputTokens: 10, endpoint: 'mai' });
    assert.equal(est.amount, null);
    assert.match(est.note ?? '', /price not set: add "pricing" to profile "mai"/);
  });

  it('GPU-hour: null without an expected duration, the server share with one', () => {
    assert.equal(estimateRequest({ promptTokens: 10, maxOutputTokens: 10, pricing: { perHour: 36 } }).amount, null);
    near(estimateRequest({ promptTokens: 10, maxOutputTokens: 10, pricing: { perHour: 36 }, durationMs: 60_000 }).amount, 0.6);
  });
});
