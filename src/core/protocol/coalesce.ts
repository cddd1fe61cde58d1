import type { PonderEvent } from '../events';

/**
 * Merges runs of consecutive `reasoning.delta` (or `content.delta`) events of one request into
 * one event, keeping the first event's time. The host sends thousands of token deltas as a few
 * messages this way, and persisted traces shrink by the same factor; nothing else is reordered.
 */
export function coalesceEvents(events: readonly PonderEvent[]): PonderEvent[] {
  const out: PonderEvent[] = [];
  let pending: { first: PonderEvent; parts: string[] } | undefined;
  const flush = () => {
    if (!pending) return;
    const text = pending.parts.length === 1 ? pending.parts[0] : pending.parts.join('');
    out.push({ ...pending.first, text } as PonderEvent);
    pending = undefined;
  };
  for (const e of events) {
    if (e.type === 'reasoning.delta' || e.type === 'content.delta') {
      // Deltas of different agent steps stay apart (each says its step).
      if (pending && pending.first.type === e.type && pending.first.requestId === e.requestId && (pending.first as { step?: number }).step === e.step) {
        pending.parts.push(e.text);
        continue;
      }
      flush();
      pending = { first: e, parts: [e.text] };
      continue;
    }
    flush();
    out.push(e);
  }
  flush();
  return out;
}
