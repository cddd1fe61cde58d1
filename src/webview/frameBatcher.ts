/**
 * Queues incoming messages and applies them all, then renders once, in the next animation
 * frame: however fast the host posts, the page does at most one render per frame. No DOM types
 * here (the frame scheduler is passed in) so unit tests drive it in plain Node.
 */
export interface FrameStats {
  received: number;
  applied: number;
  frames: number;
  /** Longest apply+render in one frame, ms. */
  longestFrameMs: number;
  /** Of which: applying messages, and rendering, ms (their longest, maybe in different frames). */
  longestApplyMs: number;
  longestRenderMs: number;
}

export class FrameBatcher<M> {
  private queue: M[] = [];
  private scheduled = false;
  private dirty = false;
  private skipNext = false;
  readonly stats: FrameStats = { received: 0, applied: 0, frames: 0, longestFrameMs: 0, longestApplyMs: 0, longestRenderMs: 0 };

  constructor(
    private readonly apply: (message: M) => void,
    private readonly render: () => void,
    private readonly requestFrame: (cb: () => void) => unknown,
    private readonly now: () => number = () => Date.now(),
    private readonly slowFrameMs = 12,
  ) {}

  push(message: M): void {
    this.stats.received++;
    this.queue.push(message);
    this.schedule();
  }

  /** Asks for a render without a message (a ticking clock, a toggle). */
  invalidate(): void {
    this.dirty = true;
    this.schedule();
  }

  get backlog(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.requestFrame(() => this.frame());
  }

  private frame(): void {
    this.scheduled = false;
    // A frame whose work ran long is followed by one frame off, so a busy machine gets its
    // main thread back instead of stacking long tasks; queued messages wait one frame.
    if (this.skipNext) {
      this.skipNext = false;
      this.schedule();
      return;
    }
    const started = this.now();
    const batch = this.queue;
    this.queue = [];
    for (const m of batch) {
      this.apply(m);
      this.stats.applied++;
    }
    const applied = this.now();
    this.stats.longestApplyMs = Math.max(this.stats.longestApplyMs, applied - started);
    if (batch.length || this.dirty) {
      this.dirty = false;
      this.render();
      this.stats.frames++;
      this.stats.longestRenderMs = Math.max(this.stats.longestRenderMs, this.now() - applied);
    }
    const work = this.now() - started;
    this.skipNext = work > this.slowFrameMs;
    this.stats.longestFrameMs = Math.max(this.stats.longestFrameMs, work);
  }
}
