import type { CostSource, PonderEvent, RequestCommand, Usage } from '../events';

export type RequestStatus = 'running' | 'done' | 'error' | 'cancelled';

/** What the history list shows for one request; derived from its events. */
export interface RequestSummary {
  requestId: string;
  endpoint: string;
  model: string;
  command?: RequestCommand;
  prompt?: string;
  /** The file and lines the request was about ("src/a.ts:20-24"). */
  focus?: string;
  status: RequestStatus;
  startedAt: number;
  ms?: number;
  usage?: Usage;
  cost?: number | null;
  costSource?: CostSource;
}

export interface RequestRecord { summary: RequestSummary; events: PonderEvent[] }

export type StoreListener = (change: { requestId: string; event?: PonderEvent; cleared?: boolean }) => void;

/**
 * Every request's events, in order, newest request first; the single source the sidebar, the
 * trace export and the ledger read. Bounded to `limit` requests.
 */
export class TraceStore {
  private readonly records = new Map<string, RequestRecord>();
  private readonly listeners = new Set<StoreListener>();

  constructor(private limit = 200) {}

  setLimit(limit: number): void {
    this.limit = limit;
    this.trim();
  }

  /** Feeds one event in; the `request.start` event creates the record. */
  add(event: PonderEvent): void {
    let record = this.records.get(event.requestId);
    if (!record) {
      if (event.type !== 'request.start') return;
      record = {
        summary: {
          requestId: event.requestId, endpoint: event.endpoint, model: event.model, command: event.command,
          prompt: event.prompt, status: 'running', startedAt: event.t,
          ...(event.focus ? { focus: `${event.focus.path}:${event.focus.lines[0] === event.focus.lines[1] ? event.focus.lines[0] : `${event.focus.lines[0]}-${event.focus.lines[1]}`}` } : {}),
        },
        events: [],
      };
      this.records.set(event.requestId, record);
      this.trim();
    }
    record.events.push(event);
    applyToSummary(record.summary, event);
    for (const l of this.listeners) l({ requestId: event.requestId, event });
  }

  get(requestId: string): RequestRecord | undefined {
    return this.records.get(requestId);
  }

  /** Newest first. */
  list(): RequestSummary[] {
    return [...this.records.values()].map((r) => r.summary).sort((a, b) => b.startedAt - a.startedAt);
  }

  clear(): void {
    this.records.clear();
    for (const l of this.listeners) l({ requestId: '', cleared: true });
  }

  onChange(listener: StoreListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Everything, for persistence across reloads (finished requests only). */
  snapshot(): RequestRecord[] {
    return [...this.records.values()].filter((r) => r.summary.status !== 'running');
  }

  restore(records: RequestRecord[]): void {
    for (const r of records) if (!this.records.has(r.summary.requestId)) this.records.set(r.summary.requestId, r);
    this.trim();
  }

  private trim(): void {
    if (this.records.size <= this.limit) return;
    const oldest = [...this.records.values()].sort((a, b) => a.summary.startedAt - b.summary.startedAt);
    for (const r of oldest.slice(0, this.records.size - this.limit)) this.records.delete(r.summary.requestId);
  }
}

function applyToSummary(s: RequestSummary, e: PonderEvent): void {
  switch (e.type) {
    case 'usage': s.usage = e.usage; break;
    case 'cost': s.cost = e.amount; s.costSource = e.source; break;
    case 'error': s.status = e.kind === 'cancelled' ? 'cancelled' : 'error'; break;
    case 'request.end':
      s.ms = e.ms;
      if (s.status === 'running') s.status = e.finishReason === 'cancelled' ? 'cancelled' : e.finishReason === 'error' ? 'error' : 'done';
      break;
    default: break;
  }
}
