import type { EventOf, PonderEvent } from '../events';
import { formatUsd } from '../format/money';

/**
 * One line per finished request for a log (the extension's Ponder output channel): endpoint,
 * model, what it was about, tokens, cost, time and outcome. A failed request is an error-level
 * line that says why and what to do; a cancelled one a warning.
 */
export function requestLogLine(events: readonly PonderEvent[]): { level: 'info' | 'warning' | 'error'; line: string } | undefined {
  const start = events.find((e): e is EventOf<'request.start'> => e.type === 'request.start');
  const end = events.find((e): e is EventOf<'request.end'> => e.type === 'request.end');
  if (!start || !end) return undefined;
  const n = (x: number) => x.toLocaleString('en-US');
  const usage = { prompt: 0, completion: 0, reasoning: 0, cached: 0 };
  let sawUsage = false;
  let cost: number | null | undefined;
  for (const e of events) {
    if (e.type === 'usage') {
      sawUsage = true;
      usage.prompt += e.usage.prompt;
      usage.completion += e.usage.completion;
      usage.reasoning += e.usage.reasoning;
      usage.cached += e.usage.cached;
    } else if (e.type === 'cost') {
      cost = e.amount === null ? (cost ?? null) : (cost ?? 0) + e.amount;
    }
  }
  const error = events.find((e): e is EventOf<'error'> => e.type === 'error');
  const parts = [`request ${start.requestId.slice(0, 8)}`, start.command ?? 'ask', `endpoint ${start.endpoint}`, `model ${start.model}`];
  if (start.focus) parts.push(`${start.focus.path}:${start.focus.lines[0]}-${start.focus.lines[1]}`);
  parts.push(sawUsage ? `${n(usage.prompt)} in${usage.cached ? ` (${n(usage.cached)} cached)` : ''} / ${n(usage.completion)} out${usage.reasoning ? ` (${n(usage.reasoning)} reasoning)` : ''} tokens` : 'no tokens');
  parts.push(cost === undefined ? 'no cost' : cost === null ? 'price not set' : formatUsd(cost));
  parts.push(`${(end.ms / 1000).toFixed(1)} s`);
  const cancelled = end.finishReason === 'cancelled' || error?.kind === 'cancelled';
  if (cancelled) return { level: 'warning', line: [...parts, 'cancelled'].join(' · ') };
  if (error || end.finishReason === 'error') {
    const why = error ? `failed (${error.kind}${error.status ? ` ${error.status}` : ''}): ${error.message}${error.action ? ` ${error.action}` : ''}` : 'failed';
    return { level: 'error', line: [...parts, why].join(' · ') };
  }
  return { level: 'info', line: [...parts, end.finishReason === 'stop' ? 'done' : end.finishReason].join(' · ') };
}
