import type { PonderEvent, EventOf } from '../events';
import { roundUsd } from './pricing';
import type { LedgerEntry, LedgerStatus } from './types';
import { LedgerEntrySchema } from './types';
import type { CostSource } from '../events';

export interface EntryMeta {
  /** The window or CLI run: "this session" totals. */
  sessionId?: string;
  /** Used when `request.start` names none. */
  workspace?: string;
  provider?: string;
}

/**
 * The ledger line of a finished request, from its events. A request with tool rounds calls the
 * model several times: each call's `usage` and `cost` events are added up. Returns undefined
 * until the request has ended (`request.end`), when it never started, and when it never reached
 * the model (no usage and no cost: refused by a budget, a config error): nothing was spent.
 */
export function ledgerEntryFromEvents(events: readonly PonderEvent[], meta: EntryMeta = {}): LedgerEntry | undefined {
  const start = events.find((e): e is EventOf<'request.start'> => e.type === 'request.start');
  const end = events.find((e): e is EventOf<'request.end'> => e.type === 'request.end');
  if (!start || !end) return undefined;
  if (!events.some((e) => e.type === 'usage' || e.type === 'cost')) return undefined;
  const tokens = { prompt: 0, cached: 0, cacheWrite: 0, completion: 0, reasoning: 0 };
  for (const e of events) {
    if (e.type !== 'usage') continue;
    tokens.prompt += e.usage.prompt;
    tokens.cached += e.usage.cached;
    tokens.cacheWrite += e.usage.cacheWrite;
    tokens.completion += e.usage.completion;
    tokens.reasoning += e.usage.reasoning;
  }
  const costs = events.filter((e): e is EventOf<'cost'> => e.type === 'cost');
  const priced = costs.filter((c) => c.amount !== null);
  const cost = priced.length ? roundUsd(priced.reduce((a, c) => a + (c.amount ?? 0), 0)) : null;
  const sources = [...new Set(priced.map((c) => c.source))];
  const source: CostSource = sources.length === 1 ? sources[0] : sources.length > 1 ? mostTrusted(sources) : 'unpriced';
  const notes = [...new Set(costs.map((c) => c.note).filter((n): n is string => !!n))];
  if (priced.length && priced.length < costs.length) notes.push(`${costs.length - priced.length} of ${costs.length} model calls had no price`);
  const error = events.find((e): e is EventOf<'error'> => e.type === 'error');
  const status: LedgerStatus = end.finishReason === 'cancelled' || error?.kind === 'cancelled'
    ? 'cancelled'
    : end.finishReason === 'error' || error ? 'error' : 'done';
  return LedgerEntrySchema.parse({
    v: 1, id: start.requestId, time: new Date(start.t).toISOString(),
    endpoint: start.endpoint, model: start.model, provider: start.provider ?? meta.provider,
    tokens, cost, currency: 'USD', source, note: notes.length ? notes.join('; ').slice(0, 500) : undefined,
    workspace: start.workspace ?? meta.workspace, command: start.command, status,
    durationMs: end.ms, session: meta.sessionId,
  });
}

function mostTrusted(sources: CostSource[]): CostSource {
  for (const s of ['provider', 'gpu-hour', 'price-table'] as const) if (sources.includes(s)) return s;
  return 'unpriced';
}
