import type { HeaderInfo } from '../core/protocol/header';
import { HostMessageSchema, type HostMessage, type RequestSummaryMessage } from '../core/protocol/messages';
import { applyEvent, buildView, type RequestView } from '../core/protocol/requestView';

/**
 * The page's copy of what the host owns: the request list, the selected request's detail, the
 * header. Replaced by each snapshot, patched by updates. `version` bumps on every change so
 * components can skip work.
 */
export class WebviewState {
  requests: RequestSummaryMessage[] = [];
  selected: string | undefined;
  view: RequestView | undefined;
  header: HeaderInfo = {};
  testMode = false;
  /** False until the first snapshot: the page shows nothing rather than the empty state. */
  loaded = false;
  version = 0;
  rejected = 0;
  /** Probe requests (test mode) waiting for the next render. */
  probes: { id: string; click?: string }[] = [];

  /** Parses and applies one message from the host; malformed ones are counted and ignored. */
  receive(raw: unknown): void {
    const parsed = HostMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.rejected++;
      return;
    }
    this.apply(parsed.data);
  }

  apply(m: HostMessage): void {
    this.version++;
    switch (m.type) {
      case 'snapshot':
        this.loaded = true;
        this.requests = m.requests;
        this.header = m.header;
        this.testMode = m.testMode ?? false;
        this.selected = m.selected;
        this.view = m.selected ? buildView(m.selected, m.events) : undefined;
        break;
      case 'detail':
        this.selected = m.selected;
        this.view = buildView(m.selected, m.events);
        break;
      case 'update':
        for (const s of m.requests) this.upsert(s);
        if (m.selected && m.selected !== this.selected) {
          this.selected = m.selected;
          this.view = buildView(m.selected, []);
        }
        if (this.view) for (const e of m.events) applyEvent(this.view, e);
        break;
      case 'header':
        this.header = m.header;
        break;
      case 'cleared':
        this.requests = [];
        this.selected = undefined;
        this.view = undefined;
        break;
      case 'probe':
        if (this.testMode) this.probes.push({ id: m.id, click: m.click });
        break;
    }
  }

  private upsert(s: RequestSummaryMessage): void {
    const i = this.requests.findIndex((r) => r.requestId === s.requestId);
    if (i >= 0) this.requests[i] = s;
    else {
      this.requests.push(s);
      this.requests.sort((a, b) => b.startedAt - a.startedAt);
    }
  }
}
