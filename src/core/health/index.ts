/**
 * Health of self-hosted vLLM servers: read /health and the Prometheus /metrics, keep a short
 * history, and turn it into a state the picker, status bar, sidebar header and router share.
 */
export { parsePrometheusText, samplesOf, type Exposition, type Sample, type MetricType } from './prometheus';
export { readVllmMetrics, snapshotOf, VLLM_METRICS, type VllmSnapshot, type VllmMetric } from './vllm';
export { HealthTracker, DEFAULT_THRESHOLDS, UNKNOWN_HEALTH, type HealthState, type ProbeResult, type Thresholds } from './assess';
export { probeVllm, healthUrls, serverRootOf, isPollable, type HealthTarget, type ProbeOptions } from './probe';
export { HealthPoller, systemClock, type Clock, type HealthPollerOptions } from './scheduler';
