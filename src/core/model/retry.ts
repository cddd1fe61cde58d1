/** Retry timing: what the server asked for, else capped, jittered exponential backoff. */

/** Longest wait Ponder retries through on its own; a longer ask is reported instead ("retry at ..."). */
export const MAX_RETRY_WAIT_MS = 60_000;
const BASE_MS = 500;
const CAP_MS = 8_000;

export interface HeaderLike { get(name: string): string | null }

/** Go-style durations as OpenAI's x-ratelimit-reset-* send them: "1s", "6m0s", "20ms", "1h2m3.5s". */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = '';
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3_600_000 : m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n;
    matched += m[0];
  }
  return matched && matched === s ? total : undefined;
}

/** The wait the server asked for, in ms: retry-after-ms, retry-after (seconds or HTTP date), x-ratelimit-reset-*. */
export function serverRetryDelay(headers: HeaderLike | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = headers.get('retry-after');
  if (after) {
    if (/^\s*\d+(\.\d+)?\s*$/.test(after)) return Math.max(0, Number(after) * 1000);
    const date = Date.parse(after);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  // Both limits may be exhausted: wait for the later reset.
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((h) => headers.get(h))
    .map((v) => (v ? parseDuration(v) : undefined))
    .filter((v): v is number => v !== undefined);
  return resets.length ? Math.max(...resets) : undefined;
}

/** Exponential backoff for attempt 0, 1, 2...: 0.5 s, 1 s, 2 s ... capped at 8 s, jittered +-25%. */
export function backoffDelay(attempt: number, random = Math.random): number {
  const raw = Math.min(CAP_MS, BASE_MS * 2 ** attempt);
  return Math.round(raw * (0.75 + random() * 0.5));
}

/** A timer that ends early (resolving) when the signal aborts, so a cancel during a wait is instant. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
