import { PonderEventSchema, type EventOf, type PonderEvent, type PonderEventType } from '../../../src/core/events';
import { resolveProfile } from '../../../src/core/model/profiles';
import type { ResolvedProfile } from '../../../src/core/model/types';
import { BASE_USAGE, chunk, usageChunk, type RecordedRequest, type Scenario } from '../../fixtures/wire';

let n = 0;

/** A model turn that calls one tool (reasoning first, as reasoning models do). */
export function toolTurn(name: string, args: unknown, opts: { id?: string; reasoning?: string } = {}): Scenario {
  const id = opts.id ?? `call_${++n}`;
  return {
    name: `tool-${id}`,
    steps: [
      { data: chunk({ role: 'assistant', content: null, reasoning: opts.reasoning ?? 'Let me look at the code.' }) },
      { data: chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } }] }) },
      { data: chunk({}, 'tool_calls') },
      { data: usageChunk(BASE_USAGE) },
    ],
  };
}

/** A plain answer turn. */
export function answerTurn(text: string, reasoning = 'I have what I need.'): Scenario {
  return {
    name: `answer-${++n}`,
    steps: [{ data: chunk({ reasoning }) }, { data: chunk({ content: text }) }, { data: chunk({}, 'stop') }, { data: usageChunk(BASE_USAGE) }],
  };
}

export function fixtureProfile(url: string, extra: Record<string, unknown> = {}): ResolvedProfile {
  return resolveProfile({ id: 'fixture', provider: 'vllm', baseUrl: url, model: 'test-model', maxRetries: 0, contextWindow: 32768, maxOutputTokens: 2048, pricing: { inputPerMTok: 1, outputPerMTok: 4 }, ...extra } as Parameters<typeof resolveProfile>[0]);
}

export function types(events: PonderEvent[]): PonderEventType[] {
  return events.map((e) => e.type);
}

export function ofType<T extends PonderEventType>(events: PonderEvent[], type: T): EventOf<T>[] {
  return events.filter((e): e is EventOf<T> => e.type === type);
}

/** Every event must parse with the shared zod schema: what the sidebar and JSONL rely on. */
export function assertValidEvents(events: PonderEvent[]): void {
  for (const e of events) PonderEventSchema.parse(e);
}

/** The tool names a chat request offered. */
export function offeredTools(req: RecordedRequest): string[] {
  const tools = req.body?.tools as { function: { name: string } }[] | undefined;
  return (tools ?? []).map((t) => t.function.name);
}

export function bodyMessages(req: RecordedRequest): Array<{ role: string; content: string | null; tool_calls?: unknown[]; reasoning_content?: string; tool_call_id?: string }> {
  return (req.body?.messages ?? []) as ReturnType<typeof bodyMessages>;
}
