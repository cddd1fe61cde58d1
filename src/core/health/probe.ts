import type { ProbeResult } from './assess';
import { readVllmMetrics } from './vllm';

/** What a probe needs of a profile. Only `vllm` profiles are ever probed (never a server the user did not configure). */
export interface HealthTarget {
  readonly id: string;
  readonly provider?: string;
  readonly baseUrl?: string;
  readonly metricsUrl?: string;
}

/** The server root: `http://gpu:8000/v1` -> `http://gpu:8000` (vLLM serves /metrics and /health there). */
export function serverRootOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

export function healthUrls(target: HealthTarget): { health: string; metrics: string } | undefined {
  if (!target.baseUrl && !target.metricsUrl) return undefined;
  const root = target.baseUrl ? serverRootOf(target.baseUrl) : serverRootOf(target.metricsUrl!);
  return { health: `${root}/health`, metrics: target.metricsUrl ?? `${root}/metrics` };
}

export function isPollable(target: HealthTarget): boolean {
  return target.provider === 'vllm' && healthUrls(target) !== undefined;
}

export interface ProbeOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/**
 * Reads /health then /metrics of one vLLM server. No credentials are sent: vLLM's `--api-key`
 * guards /v1 only, and a key must never travel to a URL the user did not mean for it.
 */
export async function probeVllm(target: HealthTarget, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const now = opts.now ?? Date.now;
  const urls = healthUrls(target);
  if (!urls) return { atMs: now(), reachable: false, error: `profile "${target.id}" has no baseUrl to check` };
  const timeoutMs = opts.timeoutMs ?? 5000;
  const get = async (url: string) => {
    const signals = [AbortSignal.timeout(timeoutMs), ...(opts.signal ? [opts.signal] : [])];
    return fetch(url, { signal: AbortSignal.any(signals), headers: { accept: 'text/plain;version=0.0.4, */*;q=0.1' } });
  };

  try {
    const res = await get(urls.health);
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) return { atMs: now(), reachable: false, error: `${urls.health} answered ${res.status}: the server is up but not serving` };
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    return { atMs: now(), reachable: false, error: describeFetchError(err, urls.health, timeoutMs) };
  }

  try {
    const res = await get(urls.metrics);
    const text = await res.text();
    if (!res.ok) return { atMs: now(), reachable: true, metricsError: `${urls.metrics} answered ${res.status}` };
    const snapshot = readVllmMetrics(text, now());
    if (!snapshot.sources.kvCache && !snapshot.sources.running && !snapshot.sources.waiting && !/^vllm:/m.test(text)) {
      return { atMs: snapshot.atMs, reachable: true, metricsError: `${urls.metrics} has no vllm:* metrics` };
    }
    return { atMs: snapshot.atMs, reachable: true, snapshot };
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    return { atMs: now(), reachable: true, metricsError: describeFetchError(err, urls.metrics, timeoutMs) };
  }
}

function describeFetchError(err: unknown, url: string, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string }; message?: string };
  if (e.name === 'TimeoutError') return `no answer from ${url} within ${timeoutMs / 1000} s`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return `no server at ${url}: is vLLM running?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the host of ${url}`;
  return `${url}: ${code ?? e.message ?? String(err)}`;
}
