/**
 * 313 -> "313 ms", 4200 -> "4.2 s", 42_000 -> "42 s", 125_000 -> "2 min 5 s": elapsed times as
 * every surface shows them (the sidebar, the Chat view), so one request reads the same in both.
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/**
 * How long the model thought, as "thought for" / "Reasoned for" say it: once the request has
 * ended, the core's measure (`request.end.thinkingMs`: from sending each turn to its first answer
 * token, summed over turns); before that, or when the endpoint sent no answer token, the span the
 * caller saw reasoning stream (`seenMs`).
 */
export function thinkingTime(end: { thinkingMs?: number } | undefined, seenMs: number): number {
  return end?.thinkingMs ?? seenMs;
}
