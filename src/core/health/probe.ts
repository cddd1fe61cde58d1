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

/** /health statuses that say "no such route", not "the server is unwell": many OpenAI-compatible servers have no /health. */
const NO_ROUTE = new Set([404, 405, 501]);

/**
 * Reads /health then /metrics of one vLLM server, falling back to `GET <baseUrl>/models` when the
 * server has no /health (llama.cpp, LM Studio, Ollama, proxies): a server that lists its models,
 * or answers 401 for want of a key, is up. Only a failed connection, a timeout, an unhealthy
 * /health (5xx) or no API at all reads as down. No credentials are sent: vLLM's `--api-key`
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

  let via: ProbeResult['via'] = '/health';
  try {
    const res = await get(urls.health);
    await res.arrayBuffer().catch(() => undefined);
    if (NO_ROUTE.has(res.status) && target.baseUrl) {
      const models = modelsUrlOf(target.baseUrl);
      const listed = await get(models);
      await listed.arrayBuffer().catch(() => undefined);
      if (!listed.ok && listed.status !== 401 && listed.status !== 403) {
        return { atMs: now(), reachable: false, error: `${urls.health} answered ${res.status} and ${models} answered ${listed.status}: no OpenAI-compatible API there` };
      }
      via = '/models';
    } else if (!res.ok) {
      return { atMs: now(), reachable: false, error: `${urls.health} answered ${res.status}: the server is up but not serving` };
    }
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    return { atMs: now(), reachable: false, error: describeFetchError(err, urls.health, timeoutMs) };
  }

  try {
    const res = await get(urls.metrics);
    const text = await res.text();
    if (!res.ok) return { atMs: now(), reachable: true, via, metricsError: `${urls.metrics} answered ${res.status}` };
    const snapshot = readVllmMetrics(text, now());
    if (!snapshot.sources.kvCache && !snapshot.sources.running && !snapshot.sources.waiting && !/^vllm:/m.test(text)) {
      return { atMs: snapshot.atMs, reachable: true, via, metricsError: `${urls.metrics} has no vllm:* metrics` };
    }
    return { atMs: snapshot.atMs, reachable: true, via, snapshot };
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    return { atMs: now(), reachable: true, via, metricsError: describeFetchError(err, urls.metrics, timeoutMs) };
  }
}

/** `http://host:8080/v1` -> `http://host:8080/v1/models`. */
export function modelsUrlOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/models`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

function describeFetchError(err: unknown, url: string, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string }; message?: string };
  if (e.name === 'TimeoutError') return `no answer from ${url} within ${timeoutMs / 1000} s`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return `no server at ${url}: is vLLM running?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the host of ${url}`;
  return `${url}: ${code ?? e.message ?? String(err)}`;
}
