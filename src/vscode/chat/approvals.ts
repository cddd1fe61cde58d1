/**
 * Pending tool approvals, shared by every place that can answer them: the notification shown
 * while the tool waits, the sidebar's Allow/Deny buttons (`ponder.resolveToolApproval`), and the
 * integration tests. Whichever answers first wins; later answers are ignored. "Allow for this
 * session" is remembered by core's ToolSession, not here. No `vscode` import: unit-tested.
 */

export interface ApprovalAsk {
  requestId: string;
  callId: string;
  tool: string;
  /** What the user is asked to allow, in words: the exact command and cwd, or the file edited. */
  detail: string;
}

export interface ApprovalAnswer {
  allow: boolean;
  /** Who decided: the user (through any of the prompts) or the request being cancelled. */
  by: 'user' | 'cancelled';
  forSession?: boolean;
}

export interface ApprovalResolution {
  requestId: string;
  callId: string;
  allow: boolean;
  forSession?: boolean;
}

/** Shows the question somewhere the user sees it; resolves with their answer, or undefined if dismissed. */
export type ApprovalPrompt = (ask: ApprovalAsk, signal: AbortSignal) => Promise<Omit<ApprovalAnswer, 'by'> | undefined>;

interface Pending {
  ask: ApprovalAsk;
  settle: (answer: ApprovalAnswer) => void;
}

export class ApprovalBroker {
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<() => void>();

  /**
   * Resolves when the first of: the prompt, `resolve()` from elsewhere, or `signal` (deny) answers.
   */
  ask(ask: ApprovalAsk, prompt: ApprovalPrompt, signal?: AbortSignal): Promise<ApprovalAnswer> {
    if (signal?.aborted) return Promise.resolve({ allow: false, by: 'cancelled' });
    const key = keyOf(ask.requestId, ask.callId);
    const promptAbort = new AbortController();
    return new Promise<ApprovalAnswer>((resolvePromise) => {
      let done = false;
      const onAbort = (): void => settle({ allow: false, by: 'cancelled' });
      const settle = (answer: ApprovalAnswer): void => {
        if (done) return;
        done = true;
        this.pending.delete(key);
        signal?.removeEventListener('abort', onAbort);
        promptAbort.abort();
        this.changed();
        resolvePromise(answer);
      };
      this.pending.set(key, { ask, settle });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.changed();
      prompt(ask, promptAbort.signal).then(
        (answer) => settle(answer ? { ...answer, by: 'user' } : { allow: false, by: 'user' }),
        () => settle({ allow: false, by: 'user' }),
      );
    });
  }

  /** Answers a pending approval from outside the prompt (sidebar, tests). False when none is pending. */
  resolve(r: ApprovalResolution): boolean {
    const p = this.pending.get(keyOf(r.requestId, r.callId));
    if (!p) return false;
    p.settle({ allow: r.allow, forSession: r.forSession, by: 'user' });
    return true;
  }

  /** Approvals waiting for an answer, oldest first. */
  list(): ApprovalAsk[] {
    return [...this.pending.values()].map((p) => p.ask);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

function keyOf(requestId: string, callId: string): string {
  return `${requestId}\u0000${callId}`;
}
