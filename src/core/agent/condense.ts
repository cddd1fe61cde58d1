import type { ChatMessage } from '../model/types';
import { opaqueTokens } from '../run/messages';

/**
 * Keeps a long task inside the endpoint's window: when the prompt nears the room it has (window
 * minus the output reserve), the oldest tool outputs are replaced by a one-line note saying what
 * they were (tool, arguments, size), newest turns untouched, until the prompt is back under the
 * low-water mark. The full outputs stay in the events (the trace); the loop then restates the
 * plan and the latest state in the prompt.
 */

/** Condense when the prompt passes this share of its room, down to the lower one. */
export const HIGH_WATER = 0.8;
export const LOW_WATER = 0.55;

export class MessageMeter {
  private readonly cache = new WeakMap<ChatMessage, number>();
  constructor(private readonly count: (text: string) => number) {}

  tokens(m: ChatMessage): number {
    let n = this.cache.get(m);
    if (n !== undefined) return n;
    n = 4 + this.count(typeof m.content === 'string' ? m.content : '');
    if (m.role === 'assistant') {
      for (const c of m.tool_calls ?? []) n += 8 + this.count(c.function.name) + this.count(c.function.arguments);
      if (m.reasoning) n += this.count(m.reasoning);
      n += opaqueTokens(m.reasoningState?.value);
    }
    this.cache.set(m, n);
    return n;
  }

  total(messages: readonly ChatMessage[]): number {
    let n = 0;
    for (const m of messages) n += this.tokens(m);
    return n;
  }
}

export interface CondenseResult { messages: ChatMessage[]; outputs: number; calls: string[]; before: number; after: number }

/**
 * `room`: tokens the messages may use (window − output reserve − tool schemas). `keepTurns`: the
 * most recent assistant turns whose tool outputs are never condensed.
 */
export function condense(messages: readonly ChatMessage[], room: number, meter: MessageMeter, keepTurns = 2): CondenseResult | undefined {
  const before = meter.total(messages);
  if (before <= room * HIGH_WATER) return undefined;
  const target = room * LOW_WATER;
  // Tool calls by id (for the note), and where the protected recent turns begin.
  const calls = new Map<string, { name: string; args: string }>();
  const assistantAt: number[] = [];
  messages.forEach((m, i) => {
    if (m.role !== 'assistant') return;
    assistantAt.push(i);
    for (const c of m.tool_calls ?? []) calls.set(c.id, { name: c.function.name, args: c.function.arguments });
  });
  const protectFrom = assistantAt.length > keepTurns ? assistantAt[assistantAt.length - keepTurns] : 0;
  const out = [...messages];
  let total = before;
  let outputs = 0;
  const ids: string[] = [];
  for (let i = 0; i < protectFrom && total > target; i++) {
    const m = out[i];
    if (m.role !== 'tool' || m.content.startsWith(NOTE_PREFIX)) continue;
    const call = calls.get(m.tool_call_id);
    const size = meter.tokens(m);
    const args = call ? (call.args.length > 160 ? `${call.args.slice(0, 160)}…` : call.args) : '';
    const firstLine = m.content.split('\n', 1)[0].slice(0, 120);
    const note: ChatMessage = {
      role: 'tool', tool_call_id: m.tool_call_id,
      content: `${NOTE_PREFIX} the output of ${call?.name ?? 'a tool'} ${args} (${size} tokens; it began: "${firstLine}") was removed to stay within the context window. Call the tool again if you still need it.]`,
    };
    out[i] = note;
    total += meter.tokens(note) - size;
    outputs++;
    ids.push(m.tool_call_id);
  }
  if (!outputs) return undefined;
  return { messages: out, outputs, calls: ids, before, after: total };
}

export const NOTE_PREFIX = '[Condensed by Ponder:';
