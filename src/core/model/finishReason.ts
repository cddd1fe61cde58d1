import type { FinishReason } from '../events';

/** Names servers use beside the OpenAI ones, mapped to what they mean. */
const SYNONYMS: Record<string, FinishReason> = {
  stop: 'stop', length: 'length', tool_calls: 'tool_calls', content_filter: 'content_filter',
  error: 'error', function_call: 'tool_calls', max_tokens: 'length', end_turn: 'stop', eos: 'stop', stop_sequence: 'stop', tool_use: 'tool_calls',
};

/**
 * A server's `finish_reason` as one of the event model's finish reasons. A reason no server of
 * the field documents is read as `stop`: the answer ended and nothing says it was cut or blocked
 * (a cut answer says `length`, a blocked one `content_filter`).
 */
export function finishReasonOf(raw: string | undefined): FinishReason {
  return (raw !== undefined && Object.hasOwn(SYNONYMS, raw) ? SYNONYMS[raw] : undefined) ?? 'stop';
}
