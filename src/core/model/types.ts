import type { EventBody, ErrorKind, FinishReason, FixAction, Usage } from '../events';
import type { Dialect } from '../config/dialect';
import type { FoundryApi, Pricing, Provider } from '../config/profile';
import type { EndpointMemory } from './endpointMemory';

/**
 * The model layer's public API. Everything above it (the request runner, the CLI, the chat
 * participant) talks to a model only through these types and `streamTurn`.
 */

export type AuthMode = 'apiKey' | 'entra' | 'none';
export type ReasoningEffort = 'low' | 'medium' | 'high';

/** An endpoint profile with its provider preset applied: every field the client needs is set. */
export interface ResolvedProfile extends Dialect {
  id: string;
  label: string;
  provider: Provider;
  /** Without a trailing slash, e.g. `http://localhost:8000/v1`. */
  baseUrl: string;
  /** Absent: the first model the server lists is used (a local vLLM serves one). */
  model?: string;
  auth: AuthMode;
  /** Extra, non-secret headers from the profile. */
  headers: Record<string, string>;
  /** Azure classic routes: the `api-version` query parameter. */
  apiVersion?: string;
  /** `foundry` profiles: the Foundry API the base URL is on (given, or inferred from the URL and model). */
  foundryApi?: FoundryApi;
  /**
   * The endpoint returns its reasoning only as an opaque value when asked
   * (`reasoning_display: "encrypted"`), to be sent back unchanged on that assistant message.
   */
  encryptedReasoning: boolean;
  /** The endpoint never streams reasoning text (it thinks privately): say so instead of an empty pane. */
  privateReasoning: boolean;
  /** The endpoint has a reasoning-effort control; where false, `reasoningEffort` is not sent. */
  effortControl: boolean;
  /** The endpoint's whole documented parameter list: nothing else is sent. Absent: no such list. */
  documentedParams?: readonly string[];
  contextWindow: number;
  /** Where `contextWindow` came from; `default` means a server's `max_model_len` should win. */
  contextWindowSource: 'profile' | 'preset' | 'server' | 'default';
  /**
   * Where the profile came from, so messages name what the user gave: a profile in settings
   * (absent), Ponder's built-in default (no profile configured), or the CLI's --base-url.
   */
  origin?: 'default' | 'flag';
  /** True when the profile set maxOutputTokens itself (then it is not scaled to the window). */
  maxOutputTokensSet?: boolean;
  reasoningEffort?: ReasoningEffort;
  /** Only published prices; absent means unpriced (MAI-Thinking-1's price is not published). */
  pricing?: Pricing;
  metricsUrl?: string;
}

/** Anthropic-style content parts are not used: Ponder sends text. */
export type ChatMessage =
  | { role: 'system' | 'developer'; content: string }
  | { role: 'user'; content: string }
  | {
      role: 'assistant';
      content: string | null;
      tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
      /** The reasoning text of this turn (any dialect), kept so it can be sent back. */
      reasoning?: string;
      /** OpenRouter's structured reasoning blocks, sent back unchanged. */
      reasoningDetails?: unknown[];
      /** Opaque reasoning state (encrypted), sent back unchanged, and only to the endpoint it came from. */
      reasoningState?: ReasoningState;
    }
  | { role: 'tool'; tool_call_id: string; content: string };

/**
 * The opaque reasoning an endpoint returned for one assistant turn (MAI on Foundry:
 * `delta.reasoning` with `encrypted_content`), exactly as received. Never shown, logged or put in
 * an event; `endpoint` (see `reasoningEndpointKey`) keeps it from being sent anywhere else.
 */
export interface ReasoningState { endpoint: string; value: unknown }

/** A function tool as the Chat Completions API takes it. */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

export interface ToolCall { id: string; name: string; arguments: string }

/** An error turned into words a user can act on. Never contains a key. */
export interface ModelError {
  kind: ErrorKind;
  message: string;
  action?: string;
  fix?: FixAction;
  status?: number;
  /** Whether trying again (before output started) may help; the client retries these itself. */
  retryable?: boolean;
  /** Milliseconds the server asked us to wait (retry-after, x-ratelimit-reset-*). */
  retryAfterMs?: number;
}

export interface ProviderCost { cost?: number; upstreamCost?: number; isByok?: boolean }

export interface TurnResult {
  content: string;
  reasoning: string;
  reasoningDetails?: unknown[];
  /** Opaque reasoning state to send back on this assistant turn (never in an event). */
  reasoningState?: ReasoningState;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage?: Usage;
  providerCost?: ProviderCost;
  error?: ModelError;
  /** ms from sending the request to the first reasoning/content/tool byte. */
  firstTokenMs?: number;
  /** ms from sending the request to the first answer byte (content or tool call): the thinking time. */
  firstAnswerMs?: number;
  /** The model id actually used (resolved from `/models` when the profile names none). */
  model?: string;
}

export type ModelEvent = EventBody<'reasoning.delta' | 'content.delta' | 'tool.call' | 'retry' | 'usage' | 'error' | 'notice'>;

export interface StreamTurnRequest {
  profile: ResolvedProfile;
  /** A key (apiKey auth) or an Entra token (entra auth). Never logged. */
  apiKey?: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  signal?: AbortSignal;
  emit: (e: ModelEvent) => void;
  /** Only sent where the profile allows sampling parameters. */
  temperature?: number;
  /** The caller's count of prompt tokens (exact tokenizer), quoted when the window is exceeded. */
  promptTokens?: number;
  /**
   * The conversation goes on after this turn (a tool loop, a chat): where the endpoint keeps its
   * reasoning private, ask for it in encrypted form so it can be sent back.
   */
  keepReasoning?: boolean;
  /** Merged into the request body last (dialect-specific extras). */
  extraBody?: Record<string, unknown>;
  /** Called when the endpoint answered with a stream (headers in), before its first chunk: the turn reached the model. */
  onResponse?: () => void;
  /** Injected for tests: how retries wait. Defaults to a cancellable timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** What endpoints taught this session (rejected parameters, a server's model); absent: this turn's own. */
  memory?: EndpointMemory;
}

export interface ModelInfo { id: string; contextWindow?: number; ownedBy?: string }
