import type { HealthLevel, RouteHealth } from '../routing';
import type { VllmSnapshot } from './vllm';

/** What one poll of a server found: whether /health answered, and what /metrics said. */
export interface ProbeResult {
  readonly atMs: number;
  /** /health answered 2xx, or (no /health) the models list answered. */
  readonly reachable: boolean;
  /** Which route showed the server is up: its /health, or its models list when it has no /health. */
  readonly via?: '/health' | '/models';
  /** Why it is not reachable, in words naming the URL ("no server at http://...: is vLLM running?"). */
  readonly error?: string;
  readonly snapshot?: VllmSnapshot;
  /** Why /metrics could not be read while /health answered (404, not Prometheus text...). */
  readonly metricsError?: string;
}

export interface Thresholds {
  /** KV-cache usage (0..1) at or above which a sample counts as full. vLLM preempts near full. */
  readonly kvCacheHigh: number;
  /** Consecutive full samples before warning: one spike is normal under load. */
  readonly kvSustainedSamples: number;
  /** Samples over which a strictly rising waiting count is "the queue grows". */
  readonly queueGrowthSamples: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { kvCacheHigh: 0.85, kvSustainedSamples: 2, queueGrowthSamples: 3 };

/** A server's health as the picker, status bar, sidebar header and router see it. */
export interface HealthState extends RouteHealth {
  readonly state: HealthLevel;
  readonly saturated: boolean;
  /** One line: "KV 42% · 3 running · 0 waiting · TTFT 0.21 s · 54 tok/s". */
  readonly detail: string;
  /** The measured figures alone ("KV 93% · 24 running · 8 waiting"), without warnings. */
  readonly summary?: string;
  readonly checkedAt?: number;
  readonly kvCacheUsage?: number;
  readonly running?: number;
  readonly waiting?: number;
  /** Mean TTFT of requests finished since the previous sample (else over the server's lifetime). */
  readonly ttftSeconds?: number;
  /** Generated tokens per second between the last two samples. */
  readonly tokensPerSecond?: number;
  readonly unavailable: string[];
  /** Current warnings, in words a user can act on. */
  readonly warnings: string[];
}

/** Shortest span two samples must cover for a rate (tokens/s, recent TTFT). */
const MIN_RATE_WINDOW_MS = 1000;

type WarningKind = 'kv-cache' | 'queue';

/** How a request through the endpoint ended, as far as health goes. */
export interface RequestOutcome {
  readonly atMs: number;
  /** The server answered the request (any finish but an error or a cancel). */
  readonly ok: boolean;
  /** The request never reached a server (refused, DNS, TLS, timeout): the message says so. */
  readonly unreachable?: string;
}

/** A check that fails this soon after a request worked does not overrule the request. */
export const REQUEST_TRUSTED_MS = 60_000;

export const UNKNOWN_HEALTH: HealthState = { state: 'unknown', saturated: false, detail: 'not checked yet', unavailable: [], warnings: [] };

/**
 * Keeps the last few probes of one server and turns them into a HealthState. Rates and "stays
 * above" need history, so this is the one stateful piece; it holds no timers.
 */
export class HealthTracker {
  private readonly history: VllmSnapshot[] = [];
  private current: HealthState = UNKNOWN_HEALTH;
  /** Which conditions were warned about last time: a warning is new when its condition begins, not when its numbers change. */
  private kinds = new Set<WarningKind>();
  private nextKinds = new Set<WarningKind>();

  /** When the last request through this endpoint succeeded. */
  private lastOkAt: number | undefined;

  constructor(private readonly thresholds: Thresholds = DEFAULT_THRESHOLDS) {}

  /**
   * A request through this endpoint finished: the freshest and strongest signal. One that worked
   * makes an endpoint that was down or unchecked read as up; one that never reached the server
   * makes it down. Other failures (401, 400, ...) came from a server that answered: no change.
   */
  noteRequest(outcome: RequestOutcome): { state: HealthState; changed: boolean } {
    const before = this.current;
    if (outcome.ok) {
      this.lastOkAt = outcome.atMs;
      if (this.current.state === 'down' || this.current.state === 'unknown') {
        this.current = { state: 'up', saturated: false, detail: `a request answered at ${clock(outcome.atMs)}`, checkedAt: outcome.atMs, unavailable: [], warnings: [] };
      }
    } else if (outcome.unreachable) {
      this.history.length = 0;
      this.current = { state: 'down', saturated: false, detail: outcome.unreachable, checkedAt: outcome.atMs, unavailable: [], warnings: [] };
    }
    return { state: this.current, changed: this.current !== before };
  }

  get state(): HealthState {
    return this.current;
  }

  /** Adds a probe; returns the new state and the warnings that were not there before. */
  update(probe: ProbeResult): { state: HealthState; newWarnings: string[] } {
    const before = this.kinds;
    this.nextKinds = new Set();
    this.current = this.assess(probe);
    const kinds = [...this.nextKinds];
    this.kinds = this.nextKinds;
    return { state: this.current, newWarnings: this.current.warnings.filter((_, i) => !before.has(kinds[i])) };
  }

  private assess(probe: ProbeResult): HealthState {
    if (!probe.reachable) {
      this.history.length = 0; // a restarted server resets its counters: do not diff across it
      if (this.lastOkAt !== undefined && probe.atMs - this.lastOkAt < REQUEST_TRUSTED_MS) {
        // A request just worked: a failed check (busy server, a proxy without the route) does not make it down.
        const detail = `a request answered at ${clock(this.lastOkAt)}; the last check failed (${probe.error ?? 'no answer'})`;
        return { state: 'up', saturated: false, detail, checkedAt: probe.atMs, unavailable: [], warnings: [] };
      }
      return { state: 'down', saturated: false, detail: probe.error ?? 'no answer', checkedAt: probe.atMs, unavailable: [], warnings: [] };
    }
    const snap = probe.snapshot;
    if (!snap) {
      const how = probe.via === '/models' ? 'up: lists its models (it has no /health)' : 'up';
      return { state: 'up', saturated: false, detail: `${how}; metrics unavailable (${probe.metricsError ?? 'no /metrics'})`, checkedAt: probe.atMs, unavailable: probe.via === '/models' ? ['/health', '/metrics'] : ['/metrics'], warnings: [] };
    }
    const prev = this.history.at(-1);
    this.history.push(snap);
    const keep = Math.max(this.thresholds.kvSustainedSamples, this.thresholds.queueGrowthSamples);
    while (this.history.length > keep) this.history.shift();

    const warnings: string[] = [];
    const t = this.thresholds;
    const recentKv = this.history.slice(-t.kvSustainedSamples).map((s) => s.kvCacheUsage);
    if (recentKv.length >= t.kvSustainedSamples && recentKv.every((v) => v !== undefined && v >= t.kvCacheHigh)) {
      this.nextKinds.add('kv-cache');
      warnings.push(`KV cache at ${pct(snap.kvCacheUsage!)} for ${t.kvSustainedSamples} checks in a row (threshold ${pct(t.kvCacheHigh)}): new requests will be preempted or wait`);
    }
    const recentWaiting = this.history.slice(-t.queueGrowthSamples).map((s) => s.waiting);
    if (recentWaiting.length >= t.queueGrowthSamples && recentWaiting.every((v, i) => v !== undefined && (i === 0 || v > recentWaiting[i - 1]!))) {
      this.nextKinds.add('queue');
      warnings.push(`queue growing: ${recentWaiting.join(' → ')} requests waiting`);
    }

    // Rates over less than a second (the picker polling right after the timer) are noise: measure
    // against an older sample, or keep the last figure.
    const base = this.history.slice(0, -1).reverse().find((s) => snap.atMs - s.atMs >= MIN_RATE_WINDOW_MS);
    const ttftSeconds = base ? ttftOf(base, snap) : prev ? this.current.ttftSeconds : ttftOf(undefined, snap);
    const tokensPerSecond = !base ? this.current.tokensPerSecond
      : base.generationTokens !== undefined && snap.generationTokens !== undefined && snap.generationTokens >= base.generationTokens
        ? (snap.generationTokens - base.generationTokens) / ((snap.atMs - base.atMs) / 1000)
        : undefined;
    const saturated = warnings.length > 0;
    const parts: string[] = [];
    if (snap.kvCacheUsage !== undefined) parts.push(`KV ${pct(snap.kvCacheUsage)}`);
    if (snap.running !== undefined) parts.push(`${snap.running} running`);
    if (snap.waiting !== undefined) parts.push(`${snap.waiting} waiting`);
    if (ttftSeconds !== undefined) parts.push(`TTFT ${ttftSeconds.toFixed(2)} s`);
    if (tokensPerSecond !== undefined) parts.push(`${Math.round(tokensPerSecond)} tok/s`);
    if (snap.unavailable.length) parts.push(`not exposed: ${snap.unavailable.join(', ')}`);
    return {
      state: saturated ? 'degraded' : 'up', saturated,
      detail: (saturated ? `${warnings[0]}; ` : '') + (parts.join(' · ') || 'up'), summary: parts.join(' · '),
      checkedAt: snap.atMs, kvCacheUsage: snap.kvCacheUsage, running: snap.running, waiting: snap.waiting,
      ttftSeconds, tokensPerSecond, unavailable: snap.unavailable, warnings,
    };
  }
}

function ttftOf(prev: VllmSnapshot | undefined, snap: VllmSnapshot): number | undefined {
  if (snap.ttftSum === undefined || !snap.ttftCount) return undefined;
  if (prev?.ttftSum !== undefined && prev.ttftCount !== undefined && snap.ttftCount > prev.ttftCount) {
    return (snap.ttftSum - prev.ttftSum) / (snap.ttftCount - prev.ttftCount);
  }
  if (prev?.ttftCount !== undefined && snap.ttftCount === prev.ttftCount) return undefined; // nothing new since last check
  return snap.ttftSum / snap.ttftCount;
}

/** 21:04:05, local time. */
function clock(atMs: number): string {
  const d = new Date(atMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function pct(v: number): string {
  return `${Math.round(v * 100)}%`;
}
