import type { PonderEvent } from '../../core/events';
import { coalesceEvents } from '../../core/protocol/coalesce';

export interface QueuedUpdate { requestIds: string[]; events: PonderEvent[] }

/**
 * Collects store changes between flushes: which list rows changed, and the new events of the
 * selected request. `flush` runs at most once per `intervalMs` however fast events arrive, and
 * hands over the events with runs of deltas merged, so 2,000 tokens a second become a few dozen
 * messages a second.
 */
export class UpdateQueue {
  private readonly changed = new Set<string>();
  private events: PonderEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly flushTo: (update: QueuedUpdate) => void,
    private readonly intervalMs = 25,
    private readonly schedule: (fn: () => void, ms: number) => ReturnType<typeof setTimeout> = setTimeout,
    private readonly cancel: (t: ReturnType<typeof setTimeout>) => void = clearTimeout,
  ) {}

  /**
   * A change to request `requestId`; `event` is included when it belongs to the detail shown.
   * `rowChanged: false` (token deltas) leaves the history row out of the next update.
   */
  push(requestId: string, event?: PonderEvent, rowChanged = true): void {
    if (rowChanged) this.changed.add(requestId);
    else if (!event) return;
    if (event) this.events.push(event);
    this.timer ??= this.schedule(() => this.flush(), this.intervalMs);
  }

  /** Forgets pending detail events (a new selection or snapshot supersedes them). */
  dropEvents(): void {
    this.events = [];
  }

  reset(): void {
    this.changed.clear();
    this.events = [];
    if (this.timer !== undefined) this.cancel(this.timer);
    this.timer = undefined;
  }

  flush(): void {
    if (this.timer !== undefined) this.cancel(this.timer);
    this.timer = undefined;
    if (!this.changed.size && !this.events.length) return;
    const update = { requestIds: [...this.changed], events: coalesceEvents(this.events) };
    this.changed.clear();
    this.events = [];
    this.flushTo(update);
  }

  dispose(): void {
    this.reset();
  }
}
