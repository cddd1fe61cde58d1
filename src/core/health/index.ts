/**
 * Health of endpoints: how their requests end (every profile), and for self-hosted vLLM servers
 * /health (or the models list where there is none) and the Prometheus /metrics, kept as a short
 * history and turned into a state the picker, status bar, sidebar header and router share.
 */
export { parsePrometheusText, samplesOf, type Exposition, type Sample, type MetricType } from './prometheus';
export { readVllmMetrics, snapshotOf, VLLM_METRICS, type VllmSnapshot, type VllmMetric } from './vllm';
export { HealthTracker, DEFAULT_THRESHOLDS, UNKNOWN_HEALTH, REQUEST_TRUSTED_MS, type HealthState, type ProbeResult, type RequestOutcome, type Thresholds } from './assess';
export { probeVllm, healthUrls, modelsUrlOf, serverRootOf, isPollable, type HealthTarget, type ProbeOptions } from './probe';
export { HealthPoller, systemClock, type Clock, type HealthPollerOptions } from './scheduler';
