import { scrubSecrets } from './errors';
import type { ModelInfo, ResolvedProfile, StreamTurnRequest, TurnResult } from './types';

/** What the Add Endpoint wizard's connection test found, line by line, in words a user can act on. */
export interface ConnectionReport {
  /** A chat request through the profile answered. */
  readonly ok: boolean;
  readonly models?: ModelInfo[];
  /** Why the models list could not be read (not fatal: Foundry's MAI route has none). */
  readonly modelsError?: string;
  /** The context window the server gives for the profile's model. */
  readonly contextWindow?: number;
  /** How the model's reasoning arrived in the test answer. */
  readonly reasoning?: 'streamed' | 'none-seen';
  /** The failure, with what to do, when the chat request did not answer. */
  readonly error?: string;
  readonly lines: string[];
}

export interface ConnectionTestDeps {
  listModels(profile: ResolvedProfile, apiKey: string | undefined, signal?: AbortSignal): Promise<ModelInfo[]>;
  streamTurn(request: StreamTurnRequest): Promise<TurnResult>;
  /** Turns a thrown listing error into words (errors.describeError). */
  describe(err: unknown, profile: ResolvedProfile, hadKey: boolean): string;
}

/** Tokens the test answer may use, reasoning included: enough to see reasoning start, cheap on a paid endpoint. */
export const TEST_OUTPUT_TOKENS = 256;

/**
 * Lists the endpoint's models, then sends one short chat request ("Reply with OK") and watches
 * how it answers. Each line says what was seen, or what failed and what to do; nothing is
 * claimed that did not happen.
 */
export async function testConnection(profile: ResolvedProfile, apiKey: string | undefined, deps: ConnectionTestDeps, signal?: AbortSignal): Promise<ConnectionReport> {
  const lines: string[] = [];
  let models: ModelInfo[] | undefined;
  let modelsError: string | undefined;
  try {
    models = await deps.listModels(profile, apiKey, signal);
    lines.push(models.length ? `Models: ${models.slice(0, 5).map((m) => m.id).join(', ')}${models.length > 5 ? ` and ${models.length - 5} more` : ''}.` : 'The models list is empty.');
  } catch (err) {
    // A 404 here means no models route, not a missing model (what describe() would say of a chat 404).
    const status = (err as { status?: unknown } | undefined)?.status;
    modelsError = status === 404
      ? `${profile.baseUrl} has no models list (404)${profile.provider === 'foundry' ? ', as is usual on Foundry: the test request below tells' : ''}.`
      // A server may echo the key it refused: scrub it, as streamTurn does for its own errors.
      : scrubSecrets(deps.describe(err, profile, !!apiKey), [apiKey]);
    lines.push(status404(modelsError) ? modelsError : `No models list: ${modelsError}`);
  }
  // The profile's model; with none set, a server serving one model answers with that one.
  const listed = profile.model ? models?.find((m) => m.id === profile.model) : models?.length === 1 ? models[0] : undefined;
  const contextWindow = listed?.contextWindow;
  if (contextWindow) lines.push(`Context window: ${contextWindow.toLocaleString('en-US')} tokens (from the server).`);
  else lines.push(`Context window: ${profile.contextWindow.toLocaleString('en-US')} tokens (${profile.contextWindowSource === 'default' ? 'assumed: the server does not say' : 'from the profile\'s preset'}).`);

  let sawReasoning = false;
  let sawContent = false;
  const result = await deps.streamTurn({
    profile: { ...profile, maxOutputTokens: Math.min(profile.maxOutputTokens, TEST_OUTPUT_TOKENS), maxRetries: 0 },
    apiKey,
    messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
    signal,
    emit: (e) => {
      if (e.type === 'reasoning.delta' && e.text) sawReasoning = true;
      if (e.type === 'content.delta' && e.text) sawContent = true;
    },
  });
  if (result.error && result.finishReason !== 'length') {
    // The profile is not saved yet: "run Set API Key" would send the user away; the key is a step back.
    const action = /Set API Key/.test(result.error.action ?? '') ? 'Go back to the key step and check the key.' : result.error.action;
    const error = [result.error.message, action].filter(Boolean).join(' ');
    lines.push(`Test request failed: ${error}`);
    return { ok: false, models, modelsError, contextWindow, error, lines };
  }
  const model = profile.model ?? 'the server\'s default model';
  lines.push(`Test request to ${model}: ${sawContent ? 'answered' : result.finishReason === 'length' ? 'still reasoning when the test\'s token limit was reached (that is fine)' : 'ended without text'}.`);
  lines.push(sawReasoning ? 'Reasoning: streamed as it is produced (shown live in the sidebar).' : 'Reasoning: none seen (private reasoning, or a server without a reasoning parser).');
  return { ok: true, models, modelsError, contextWindow, reasoning: sawReasoning ? 'streamed' : 'none-seen', lines };
}

function status404(message: string): boolean {
  return message.includes('has no models list (404)');
}
