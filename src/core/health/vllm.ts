import { parsePrometheusText, type Exposition, type Sample } from './prometheus';

/**
 * The vLLM metrics Ponder reads, by what they mean, each with the names vLLM has exposed them
 * under (newest first). vLLM renamed `vllm:gpu_cache_usage_perc` to `vllm:kv_cache_usage_perc`
 * with its V1 engine; a pattern catches a further rename of the KV-cache gauge. Whatever is not
 * found is listed as unavailable rather than guessed.
 */
export const VLLM_METRICS = {
  kvCache: { names: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'], pattern: /^vllm:.*(kv|gpu)_cache_usage/ },
  running: { names: ['vllm:num_requests_running'] },
  waiting: { names: ['vllm:num_requests_waiting'] },
  ttft: { names: ['vllm:time_to_first_token_seconds'] },
  generationTokens: { names: ['vllm:generation_tokens_total', 'vllm:generation_tokens'] },
} as const satisfies Record<string, { names: readonly string[]; pattern?: RegExp }>;

export type VllmMetric = keyof typeof VLLM_METRICS;

/** One reading of a server's /metrics. Counters are cumulative; rates need two snapshots. */
export interface VllmSnapshot {
  readonly atMs: number;
  /** 0..1; the largest across engines (data parallel): the fullest one preempts first. */
  readonly kvCacheUsage?: number;
  readonly running?: number;
  readonly waiting?: number;
  /** Cumulative TTFT histogram sum (seconds) and count, over all series. */
  readonly ttftSum?: number;
  readonly ttftCount?: number;
  /** Cumulative generated tokens. */
  readonly generationTokens?: number;
  /** `model_name` labels seen, to show which model the server serves. */
  readonly models: string[];
  /** Exposed metric name each reading came from (shows a rename was followed). */
  readonly sources: Partial<Record<VllmMetric, string>>;
  /** Readings the server does not expose, by their current vLLM name. */
  readonly unavailable: string[];
  /** Lines of the exposition that could not be parsed. */
  readonly parseErrors: number;
}

export function readVllmMetrics(text: string, atMs: number): VllmSnapshot {
  return snapshotOf(parsePrometheusText(text), atMs);
}

export function snapshotOf(exp: Exposition, atMs: number): VllmSnapshot {
  const byName = new Map<string, Sample[]>();
  for (const s of exp.samples) {
    if (Number.isNaN(s.value)) continue;
    const list = byName.get(s.name);
    if (list) list.push(s); else byName.set(s.name, [s]);
  }
  const sources: Partial<Record<VllmMetric, string>> = {};
  const unavailable: string[] = [];

  /** The first exposed name of a metric (with `suffix` for histogram parts), else the pattern's match. */
  const find = (metric: VllmMetric, suffix = ''): Sample[] | undefined => {
    const spec: { names: readonly string[]; pattern?: RegExp } = VLLM_METRICS[metric];
    for (const name of spec.names) {
      const found = byName.get(name + suffix);
      if (found?.length) { sources[metric] = name; return found; }
    }
    if (spec.pattern) {
      const name = [...byName.keys()].find((n) => spec.pattern!.test(n) && !/cpu_cache/.test(n));
      if (name) { sources[metric] = name; return byName.get(name); }
    }
    unavailable.push(spec.names[0]);
    return undefined;
  };
  const sum = (s?: Sample[]) => (s ? s.reduce((a, x) => a + x.value, 0) : undefined);
  const max = (s?: Sample[]) => (s ? Math.max(...s.map((x) => x.value)) : undefined);

  const kv = find('kvCache');
  const running = find('running');
  const waiting = find('waiting');
  const ttftSum = find('ttft', '_sum');
  const ttftCount = ttftSum ? byName.get(`${sources.ttft}_count`) : undefined;
  const gen = find('generationTokens');
  const models = [...new Set(exp.samples.filter((s) => s.name.startsWith('vllm:') && s.labels.model_name).map((s) => s.labels.model_name))];
  return {
    atMs,
    kvCacheUsage: max(kv),
    running: sum(running),
    waiting: sum(waiting),
    ttftSum: ttftCount ? sum(ttftSum) : undefined,
    ttftCount: sum(ttftCount),
    generationTokens: sum(gen),
    models,
    sources,
    unavailable,
    parseErrors: exp.errors.length,
  };
}
