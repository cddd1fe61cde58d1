import { TokenCounter } from '../../src/core/tokens';

/**
 * Tokens per second of the counting path over `text`, on a counter of its own that keeps
 * nothing on disk: cold (tables loaded, no piece cache) and warm (every piece cached, the
 * whole-text memo forgotten so the text is split again).
 */
export function measureCountingSpeed(text: string): { tokens: number; coldTokensPerSecond: number; warmTokensPerSecond: number; tableLoadMs: number } {
  const counter = new TokenCounter(null);
  const t0 = performance.now();
  counter.loadTables();
  const tableLoadMs = performance.now() - t0;
  const t1 = performance.now();
  const tokens = counter.count(text);
  const cold = performance.now() - t1;
  counter.forget({ pieces: false });
  const t2 = performance.now();
  counter.count(text);
  const warm = performance.now() - t2;
  return { tokens, coldTokensPerSecond: Math.round(tokens / (cold / 1000)), warmTokensPerSecond: Math.round(tokens / (warm / 1000)), tableLoadMs: Math.round(tableLoadMs) };
}
