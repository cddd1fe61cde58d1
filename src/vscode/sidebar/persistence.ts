import * as z from 'zod/mini';
import type * as vscode from 'vscode';
import { coalesceEvents } from '../../core/protocol/coalesce';
import { ProtocolEventSchema, RequestSummarySchema } from '../../core/protocol/messages';
import type { RequestRecord, TraceStore } from '../../core/run/traceStore';
import { PonderEventSchema } from '../../core/events';

/** workspaceState key of the finished requests kept across reloads. */
export const HISTORY_KEY = 'ponder.trace.history.v1';

const StoredSchema = z.array(z.object({ summary: RequestSummarySchema, events: z.array(ProtocolEventSchema) }));

/**
 * Restores finished requests into the store. Records are checked against the event model; a
 * corrupt or outdated record is dropped (and counted) rather than breaking the sidebar.
 */
export function restoreHistory(state: vscode.Memento, store: TraceStore): { restored: number; dropped: number } {
  const raw = state.get<unknown>(HISTORY_KEY);
  if (raw === undefined) return { restored: 0, dropped: 0 };
  const parsed = StoredSchema.safeParse(raw);
  if (!parsed.success) return { restored: 0, dropped: Array.isArray(raw) ? raw.length : 1 };
  const good: RequestRecord[] = [];
  let dropped = 0;
  for (const r of parsed.data) {
    const events = r.events.map((e) => PonderEventSchema.safeParse(e));
    if (events.some((e) => !e.success)) { dropped++; continue; }
    good.push({ summary: r.summary, events: events.map((e) => e.data!) });
  }
  store.restore(good);
  return { restored: good.length, dropped };
}

/** Saves the store's finished requests, deltas coalesced so a long trace costs a few events. */
export function saveHistory(state: vscode.Memento, store: TraceStore): Thenable<void> {
  const records = store.snapshot().map((r) => ({ summary: r.summary, events: coalesceEvents(r.events) }));
  return state.update(HISTORY_KEY, records);
}
