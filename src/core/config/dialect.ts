/**
 * How an endpoint speaks the wire format: what a provider preset sets (presets.ts) and what every
 * resolved profile carries (ResolvedProfile in src/core/model/types.ts extends it). Defined here,
 * below the model client, so the presets need nothing from it.
 */
export interface Dialect {
  /** How a key is sent: `Authorization: Bearer` or Azure's `api-key` header. Entra tokens are always Bearer. */
  authHeader: 'bearer' | 'api-key';
  /** Tokens reserved for the answer (reasoning included), sent as max_tokens / max_completion_tokens: see outputReserve(). */
  maxOutputTokens: number;
  /** `reasoning_effort: "high"`, OpenRouter's `reasoning: { effort }`, or not sent. */
  reasoningEffortStyle: 'reasoning_effort' | 'openrouter' | 'none';
  /** Role Ponder's instructions are sent as; `developer` messages are rewritten to `system` where not supported. */
  developerRole: 'developer' | 'system';
  /** Reasoning models often refuse `temperature`/`top_p`: when false they are never sent. */
  allowsTemperature: boolean;
  maxTokensParam: 'max_completion_tokens' | 'max_tokens';
  /** Send the assistant's reasoning back on tool-call turns, and in which field. */
  sendReasoningBack: boolean;
  reasoningField: 'reasoning_content' | 'reasoning' | 'reasoning_details';
  /** Ask for the usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  /** Seconds to wait for the response to start and between chunks. */
  timeoutSeconds: number;
  /** Retries for 429, 5xx and dropped connections before the first token. */
  maxRetries: number;
}
