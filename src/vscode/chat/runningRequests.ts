/**
 * The requests running now, each with the AbortController that stops it, so `ponder.cancelRequest`
 * (palette, sidebar, Chat view) can stop one by id or the newest. `onRunningChange` drives the
 * `ponder.requestRunning` context key. No `vscode` import: unit-tested.
 */
export class RunningRequests {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly onRunningChange: (anyRunning: boolean) => void = () => {}) {}

  /** Registers a request; the returned controller's signal is handed to the run. */
  start(requestId: string): AbortController {
    const controller = new AbortController();
    this.running.set(requestId, controller);
    if (this.running.size === 1) this.onRunningChange(true);
    return controller;
  }

  finish(requestId: string): void {
    if (this.running.delete(requestId) && this.running.size === 0) this.onRunningChange(false);
  }

  /** Cancels `requestId`, or the newest request when none is given; returns the id cancelled. */
  cancel(requestId?: string): string | undefined {
    const id = requestId ?? [...this.running.keys()].pop();
    if (!id) return undefined;
    const controller = this.running.get(id);
    if (!controller) return undefined;
    controller.abort();
    return id;
  }

  ids(): string[] {
    return [...this.running.keys()];
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}
