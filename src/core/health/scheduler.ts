import { DEFAULT_THRESHOLDS, HealthTracker, type HealthState, type ProbeResult, type RequestOutcome, type Thresholds } from './assess';
import { isPollable, probeVllm, type HealthTarget } from './probe';

/** Timers, injectable so tests drive time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface HealthPollerOptions {
  /** Seconds between polls; 0 turns polling off (`ponder.health.pollSeconds`). */
  readonly intervalSeconds: number;
  readonly clock?: Clock;
  readonly probe?: (target: HealthTarget, signal: AbortSignal) => Promise<ProbeResult>;
  readonly thresholds?: Thresholds;
  /** Called after each probe of a server; `newWarnings` are those that just began (warn once). */
  readonly onUpdate?: (id: string, state: HealthState, newWarnings: string[]) => void;
  /** `onUpdate` threw while a poll reported profile `id`: polling goes on, and this says why (the adapter logs it). */
  readonly onError?: (id: string, err: unknown) => void;
}

/**
 * Keeps each profile's health: from its requests as they end, and by polling configured vLLM
 * servers, only while someone can see it: the adapter
 * says when Ponder is visible (window focused and a Ponder view shown). Hidden: the timer is
 * cleared and probes in flight are aborted, so no request leaves the machine. Polls never overlap:
 * the next one is scheduled when the last finishes.
 */
export class HealthPoller {
  private targets: HealthTarget[] = [];
  /** Every profile id, polled or not. */
  private known = new Set<string>();
  private readonly trackers = new Map<string, HealthTracker>();
  private visible = false;
  private intervalMs: number;
  private timer: unknown;
  private inFlight: AbortController | undefined;
  private lastPollAt: number | undefined;
  private disposed = false;
  private readonly clock: Clock;
  private readonly probe: (target: HealthTarget, signal: AbortSignal) => Promise<ProbeResult>;
  /** Polls started; tests and the log read it. */
  pollCount = 0;

  constructor(private readonly opts: HealthPollerOptions) {
    this.clock = opts.clock ?? systemClock;
    this.intervalMs = Math.max(0, opts.intervalSeconds) * 1000;
    this.probe = opts.probe ?? ((t, signal) => probeVllm(t, { signal, now: () => this.clock.now(), timeoutMs: Math.min(5000, Math.max(1000, this.intervalMs / 2)) }));
  }

  /**
   * Replaces the servers to poll (`vllm` profiles with a URL; others are dropped here) and the
   * profiles that keep health from their requests only (`requestOnly`, e.g. the built-in default).
   */
  setTargets(targets: readonly HealthTarget[], requestOnly: readonly { id: string }[] = []): void {
    this.known = new Set([...targets, ...requestOnly].map((t) => t.id));
    for (const id of [...this.trackers.keys()]) if (!this.known.has(id)) this.trackers.delete(id);
    const next = targets.filter(isPollable).map((t) => ({ id: t.id, provider: t.provider, baseUrl: t.baseUrl, metricsUrl: t.metricsUrl }));
    if (JSON.stringify(next) === JSON.stringify(this.targets)) return; // settings saved, servers unchanged
    this.targets = next;
    this.reschedule(true);
  }

  /** A request through profile `id` ended: its outcome updates the health at once (see HealthTracker.noteRequest). */
  noteRequest(id: string, outcome: RequestOutcome): void {
    if (this.disposed || !this.known.has(id)) return;
    const { state, changed } = this.tracker(id).noteRequest(outcome);
    if (changed) this.opts.onUpdate?.(id, state, []);
  }

  private tracker(id: string): HealthTracker {
    let tracker = this.trackers.get(id);
    if (!tracker) this.trackers.set(id, (tracker = new HealthTracker(this.opts.thresholds ?? DEFAULT_THRESHOLDS)));
    return tracker;
  }

  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    this.reschedule(false);
  }

  setIntervalSeconds(seconds: number): void {
    this.intervalMs = Math.max(0, seconds) * 1000;
    this.reschedule(false);
  }

  /** Whether a poll is scheduled or running. */
  get active(): boolean {
    return this.timer !== undefined || this.inFlight !== undefined;
  }

  get isVisible(): boolean {
    return this.visible;
  }

  states(): Map<string, HealthState> {
    return new Map([...this.trackers].map(([id, t]) => [id, t.state]));
  }

  state(id: string): HealthState | undefined {
    return this.trackers.get(id)?.state;
  }

  /**
   * Polls every target once now (the picker opening, a user asking). Still only configured vLLM
   * profiles. Resolves when all probes are in.
   */
  async pollNow(): Promise<void> {
    if (this.disposed || !this.targets.length) return;
    this.clearTimer();
    this.inFlight?.abort();
    const controller = new AbortController();
    this.inFlight = controller;
    this.lastPollAt = this.clock.now();
    this.pollCount++;
    const targets = this.targets;
    await Promise.all(targets.map(async (target) => {
      let result: ProbeResult;
      try {
        result = await this.probe(target, controller.signal);
      } catch (err) {
        if (controller.signal.aborted) return; // hidden or superseded: drop it
        result = { atMs: this.clock.now(), reachable: false, error: `health check of "${target.id}" failed: ${(err as Error).message}` };
      }
      if (controller.signal.aborted || this.disposed) return;
      const { state, newWarnings } = this.tracker(target.id).update(result);
      // A listener that throws must not end polling: the next poll is scheduled below either way.
      try {
        this.opts.onUpdate?.(target.id, state, newWarnings);
      } catch (err) {
        this.opts.onError?.(target.id, err);
      }
    }));
    if (this.inFlight === controller) {
      this.inFlight = undefined;
      this.reschedule(false);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  private get shouldPoll(): boolean {
    return !this.disposed && this.visible && this.intervalMs > 0 && this.targets.length > 0;
  }

  private reschedule(targetsChanged: boolean): void {
    this.clearTimer();
    if (!this.shouldPoll) {
      // Hidden, off or nothing to poll: stop now, including a probe already on the wire.
      this.inFlight?.abort();
      this.inFlight = undefined;
      return;
    }
    if (this.inFlight && !targetsChanged) return; // it reschedules when done
    const since = this.lastPollAt === undefined ? Infinity : this.clock.now() - this.lastPollAt;
    const wait = targetsChanged ? 0 : Math.max(0, this.intervalMs - since);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.pollNow(); // never rejects: a failed probe is a result, a throwing listener goes to onError
    }, wait);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
