import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { finishReasonOf } from './finishReason';
import { TurnDecoder } from './decode';
import { describeError, formatWait, scrubError, scrubSecrets } from './errors';
import { listModels } from './discovery';
import { EndpointMemory } from './endpointMemory';
import { applyKnownRejections, applyRejection, describeRejection, rejectedParameter } from './heal';
import { profileProblems, reasoningEndpointKey } from './profiles';
import { buildRequestBody } from './request';
import { backoffDelay, MAX_RETRY_WAIT_MS, sleep as defaultSleep } from './retry';
import { createClient } from './sdk';
import type { ModelError, ModelEvent, StreamTurnRequest, TurnResult } from './types';

/**
 * One model turn: send the conversation, stream the answer as events, return what arrived.
 * Never throws for wire or HTTP trouble: an `error` event says what happened and the result keeps
 * any partial answer. Retries (429, 5xx, dropped connections, timeouts) happen only before the
 * first output byte, each announced as a `retry` event; a cancel stops the HTTP stream at once.
 * A user's cancel is not an `error` event: the result has finishReason "cancelled".
 */
export async function streamTurn(req: StreamTurnRequest): Promise<TurnResult> {
  const { profile: p, signal } = req;
  const memory = req.memory ?? new EndpointMemory();
  const secrets = [req.apiKey];
  // Every message leaving this function goes through the scrubber: a server may echo the key.
  const emit = (e: ModelEvent): void => {
    if (e.type === 'error' || e.type === 'notice') req.emit({ ...e, message: scrubSecrets(e.message, secrets), ...(e.type === 'error' && e.action ? { action: scrubSecrets(e.action, secrets) } : {}) });
    else if (e.type === 'retry') req.emit({ ...e, cause: scrubSecrets(e.cause, secrets) });
    else req.emit(e);
  };
  const fail = (error: ModelError, partial?: Partial<TurnResult>): TurnResult => {
    const clean = scrubError(error, secrets);
    if (clean.kind !== 'cancelled') emit({ type: 'error', kind: clean.kind, message: clean.message, action: clean.action, fix: clean.fix, status: clean.status });
    return { content: '', reasoning: '', toolCalls: [], ...partial, finishReason: clean.kind === 'cancelled' ? 'cancelled' : 'error', error: clean };
  };

  const problems = profileProblems(p);
  if (problems.length) return fail({ kind: 'config', message: problems.join(' '), action: 'Fix the profile in settings.json "ponder.endpoints".' });
  if (p.auth !== 'none' && !req.apiKey) {
    return fail(p.auth === 'entra'
      ? { kind: 'auth', message: `Profile "${p.id}" signs in with Microsoft Entra ID, but no token is available.`, action: 'Sign in with your Microsoft account when asked.' }
      : { kind: 'auth', message: `No API key is stored for profile "${p.id}" (${p.baseUrl}).`, action: `Run "Ponder: Set API Key" for "${p.id}" (on the command line: --api-key-env VAR).`, fix: { title: 'Set API Key', command: 'ponder.setApiKey', args: [p.id] } });
  }

  // A hosted catalog lists hundreds of models: picking its first would be a guess.
  if (!p.model && p.provider !== 'vllm' && p.provider !== 'openai-compatible') {
    return fail({ kind: 'config', message: `Profile "${p.id}" names no "model" and ${p.baseUrl} serves many.`, action: `Set "model" in the profile (see \`ponder models --endpoint ${p.id}\`).` });
  }
  let model = p.model ?? memory.servedModel(p.baseUrl);
  if (!model) {
    // A local vLLM serves one model; with no model in the profile, use what it lists.
    try {
      model = (await listModels(p, req.apiKey, signal))[0]?.id;
      if (model) memory.rememberServedModel(p.baseUrl, model);
    } catch (err) {
      if (signal?.aborted) return fail({ kind: 'cancelled', message: 'The request was cancelled.' });
      return fail(describeError(err, { profile: p, hadKey: !!req.apiKey }));
    }
    if (!model) return fail({ kind: 'not-found', message: `${p.baseUrl} lists no models.`, action: `Set "model" in profile "${p.id}", or start the server with a model (\`vllm serve <model>\`).` });
  }

  const client = await createClient(p, req.apiKey);
  const body = buildRequestBody(p, { model, messages: req.messages, tools: req.tools, temperature: req.temperature, extraBody: req.extraBody, keepReasoning: req.keepReasoning });
  if (p.reasoningEffort && !p.effortControl) {
    emit({ type: 'notice', level: 'info', message: `Endpoint "${p.id}" has no reasoning-effort control (MAI-Thinking-1 on Foundry documents none): "reasoningEffort": "${p.reasoningEffort}" in the profile is not sent.` });
  }
  const skipped = applyKnownRejections(memory, p.baseUrl, model, body);
  if (skipped.length) emit({ type: 'notice', level: 'info', message: `Not sending ${skipped.map(describeRejection).join(', ')} to "${p.id}": it rejected ${skipped.length === 1 ? 'that parameter' : 'those parameters'} earlier in this session.` });
  // Each parameter the endpoint names is dropped once; a few at most per turn.
  const healed = new Set<string>();
  const wait = req.sleep ?? defaultSleep;
  const sentAt = performance.now();
  const idleMs = p.timeoutSeconds * 1000;

  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) return fail({ kind: 'cancelled', message: 'The request was cancelled.' }, { model });
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let stalled = false;
    let idle: ReturnType<typeof setTimeout> | undefined;
    let lastChunkAt = 0;
    // The SDK's timeout covers only the wait for headers; a stream that goes quiet is caught here.
    // One timer per quiet period, not one per chunk: it re-arms for the time still left.
    const check = () => {
      const quiet = performance.now() - lastChunkAt;
      if (quiet >= idleMs) { stalled = true; controller.abort(); } else idle = setTimeout(check, idleMs - quiet + 1);
    };
    const decoder = new TurnDecoder(emit);
    const partial = (): Partial<TurnResult> => {
      decoder.flush();
      return {
        content: decoder.content, reasoning: decoder.reasoning, reasoningDetails: decoder.reasoningDetails, toolCalls: decoder.toolCalls().complete, model, ...decoder.usage(),
        firstTokenMs: decoder.firstTokenAt !== undefined ? decoder.firstTokenAt - sentAt : undefined,
        firstAnswerMs: decoder.firstAnswerAt !== undefined ? decoder.firstAnswerAt - sentAt : undefined,
      };
    };
    try {
      const stream = await client.chat.completions.create(body as unknown as ChatCompletionCreateParamsStreaming, { signal: controller.signal, maxRetries: 0 });
      req.onResponse?.();
      lastChunkAt = performance.now();
      idle = setTimeout(check, idleMs);
      for await (const chunk of stream) {
        lastChunkAt = performance.now();
        decoder.push(chunk);
        if (decoder.streamError) break;
      }
      clearTimeout(idle);
      // Reported like the SDK's own in-stream errors: in the server's words, what arrived kept.
      if (decoder.streamError && !signal?.aborted) throw Object.assign(new Error(decoder.streamError.message), { error: decoder.streamError });
      if (signal?.aborted) return fail({ kind: 'cancelled', message: 'The request was cancelled.' }, { ...partial(), toolCalls: [] });
      if (stalled) throw Object.assign(new Error('stream stalled'), { name: 'StreamStalled' });
      // Opaque reasoning state only from a complete turn, bound to this endpoint.
      const state = decoder.reasoningState !== undefined ? { reasoningState: { endpoint: reasoningEndpointKey({ baseUrl: p.baseUrl, model }), value: decoder.reasoningState } } : {};
      return finish(decoder, { ...partial(), ...state }, p.id, p.maxOutputTokens, emit, fail);
    } catch (err) {
      clearTimeout(idle);
      if (signal?.aborted) return fail({ kind: 'cancelled', message: 'The request was cancelled.' }, { ...partial(), toolCalls: [] });
      // A 400/422 naming a parameter the endpoint does not take: drop it, say so, send once more.
      const rejection = healed.size < MAX_HEALS && !decoder.started && !stalled ? rejectedParameter(err, body) : undefined;
      if (rejection && !healed.has(rejection.param)) {
        healed.add(rejection.param);
        applyRejection(body, rejection);
        memory.rememberRejection(p, model, rejection);
        emit({ type: 'notice', level: 'info', message: `"${p.id}" rejected the parameter ${describeRejection(rejection)}: sending the request again without it (and leaving it out for this endpoint for the rest of the session).` });
        attempt--;
        continue;
      }
      const ctx = { profile: p, model, hadKey: !!req.apiKey, outputStarted: decoder.started, receivedChars: decoder.receivedChars, promptTokens: req.promptTokens };
      let error = stalled
        ? { kind: 'timeout' as const, retryable: !decoder.started, message: `${p.baseUrl} sent nothing for ${p.timeoutSeconds} s: the stream stalled${decoder.started ? ` after ${decoder.receivedChars} characters; the partial answer is kept` : ''}.`, action: 'Retry; raise "timeoutSeconds" in the profile if the server is just slow.' }
        : describeError(err, ctx);
      if (error.retryable && !decoder.started && attempt < p.maxRetries) {
        const delayMs = Math.round(error.retryAfterMs ?? backoffDelay(attempt));
        if (delayMs <= MAX_RETRY_WAIT_MS) {
          emit({ type: 'retry', attempt: attempt + 1, delayMs, cause: error.message });
          await wait(delayMs, signal);
          continue;
        }
      }
      if (error.kind === 'not-found' && p.provider !== 'foundry') error = await withOfferedModels(error, p, req.apiKey);
      if (error.kind === 'rate-limit' && error.retryAfterMs !== undefined && attempt > 0) error = { ...error, action: `Gave up after ${attempt} ${attempt === 1 ? 'retry' : 'retries'}; retry in ${formatWait(error.retryAfterMs)}.` };
      // A cut turn's tool calls are never run: keep the text, drop the calls.
      return fail(error, { ...partial(), toolCalls: [] });
    } finally {
      clearTimeout(idle);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** Parameters one turn may drop after an endpoint rejects them by name, each once. */
const MAX_HEALS = 3;

/** Emits tool calls and usage, and says plainly when and why an answer was cut. */
function finish(decoder: TurnDecoder, partial: Partial<TurnResult>, profileId: string, maxOut: number, emit: (e: ModelEvent) => void, fail: (e: ModelError, partial?: Partial<TurnResult>) => TurnResult): TurnResult {
  const { complete, incomplete } = decoder.toolCalls();
  const result: TurnResult = { content: '', reasoning: '', ...partial, toolCalls: complete, finishReason: finishReasonOf(decoder.finishReason) };
  if (incomplete.length && decoder.finishReason !== 'length') {
    if (result.usage) emit({ type: 'usage', usage: result.usage });
    const names = incomplete.map((t) => t.name || '(unnamed)').join(', ');
    return fail({ kind: 'bad-response', message: `The stream ended in the middle of tool call ${names}: its arguments are not complete JSON, so it was not run.`, action: 'Ask again.' }, result);
  }
  if (!decoder.finishReason && !decoder.content && !complete.length) {
    if (result.usage) emit({ type: 'usage', usage: result.usage });
    return fail({ kind: 'bad-response', message: `The stream ended before an answer${decoder.reasoning ? ' (in the middle of the reasoning)' : ''}, without a finish reason.`, action: 'Ask again; check the server\'s log if it keeps happening.' }, result);
  }
  for (const call of complete) emit({ type: 'tool.call', id: call.id, name: call.name, arguments: call.arguments });
  if (result.usage) emit({ type: 'usage', usage: result.usage });
  if (decoder.finishReason === 'length') {
    emit({ type: 'notice', level: 'warning', message: `The answer was cut: it reached the output limit of ${maxOut.toLocaleString('en-US')} tokens (reasoning counts toward it). Raise "maxOutputTokens" in profile "${profileId}" or ask a narrower question.` });
  } else if (decoder.finishReason === 'content_filter') {
    return { ...fail({ kind: 'content-filter', message: 'The provider\'s content filter stopped the answer; what arrived before it is kept.', action: 'Rephrase the request or remove the flagged content from the context.' }, result), finishReason: 'content_filter' };
  }
  return result;
}

async function withOfferedModels(error: ModelError, p: StreamTurnRequest['profile'], key: string | undefined): Promise<ModelError> {
  try {
    const models = await listModels(p, key);
    const ids = models.map((m) => m.id);
    return { ...error, message: `${error.message} It offers: ${ids.length ? ids.slice(0, 20).join(', ') : 'no models'}.` };
  } catch {
    return { ...error, message: `${error.message} Its /models list could not be read either: check that "baseUrl" is the API root (usually ending in /v1).` };
  }
}
