import { CROSS_ORIGIN_REDIRECT } from './redirectGuard';
import { STREAM_LIMIT } from './streamLimits';
import type { ModelError, ResolvedProfile } from './types';
import { serverRetryDelay, type HeaderLike } from './retry';
import { foundry404, foundryAuthHow, foundryQuotaHint, isSafetyBlock } from './foundryErrors';

/**
 * Turns what went wrong talking to an endpoint (openai SDK errors, fetch/socket errors, error
 * objects inside a 200 stream) into text a user can act on. Matched by shape, not `instanceof`,
 * so this file does not load the SDK and also understands errors from the raw fetch layer.
 */

export interface ErrorContext {
  profile: ResolvedProfile;
  model?: string;
  /** Whether a key/token was sent at all. */
  hadKey?: boolean;
  /** Output had started (then nothing is retried and the partial answer is kept). */
  outputStarted?: boolean;
  /** Prompt tokens the caller counted, for context-length errors. */
  promptTokens?: number;
  /** Characters of output received, to say how far the stream got. */
  receivedChars?: number;
}

const SETTINGS_HINT = 'settings.json "ponder.endpoints"';

interface ErrorLike {
  status?: unknown; error?: unknown; headers?: unknown; code?: unknown; message?: unknown; name?: unknown; cause?: unknown;
}

function where(p: ResolvedProfile): string {
  if (p.origin === 'flag') return p.baseUrl;
  if (p.origin === 'default') return `${p.baseUrl} (Ponder's built-in default endpoint)`;
  return p.label && p.label !== p.id ? `"${p.label}" (${p.baseUrl})` : `${p.baseUrl} (profile "${p.id}")`;
}

const FLAG_OF: Record<string, string> = { baseUrl: '--base-url', model: '--model', auth: '--api-key-env' };
const NO_PROFILE = 'no endpoint is configured, so Ponder used its built-in default; to use another server, add a profile to settings.json "ponder.endpoints" (or pass --base-url on the command line)';

/**
 * Where the user changes `field` of this endpoint, in the terms they used: a profile in
 * settings, the command-line flag they typed, or (for the built-in default) how to configure one.
 */
export function fieldRef(p: ResolvedProfile, field: string): string {
  if (p.origin === 'flag') return FLAG_OF[field] ? `${FLAG_OF[field]}` : `"${field}" (use a profile: --endpoint ID with --settings FILE)`;
  if (p.origin === 'default') return `"${field}" of your endpoint: ${NO_PROFILE}`;
  return `"${field}" of profile "${p.id}" in ${SETTINGS_HINT}`;
}

function isLocal(p: ResolvedProfile): boolean {
  return p.provider === 'vllm' || p.provider === 'openai-compatible' || /\/\/(localhost|127\.|\[::1\]|0\.0\.0\.0)/.test(p.baseUrl);
}

/** The server's own words, from an SDK error body or an in-stream error object. */
function serverMessage(e: ErrorLike): string {
  const body = e.error as { message?: unknown; error?: { message?: unknown } } | string | undefined;
  let msg = '';
  if (typeof body === 'string') msg = body;
  else if (body && typeof body.message === 'string') msg = body.message;
  else if (body && body.error && typeof body.error.message === 'string') msg = body.error.message;
  else if (typeof e.message === 'string') msg = e.message.replace(/^\d{3}\s*/, '');
  msg = msg.replace(/\s+/g, ' ').trim().replace(/\.+$/, '');
  return msg.length > 400 ? msg.slice(0, 400) + '…' : msg;
}

/** Errno-style code from the error or its causes (fetch wraps socket errors). */
function causeCode(e: unknown): { code?: string; message?: string } {
  let cur: unknown = e;
  let innermost: string | undefined;
  for (let depth = 0; cur && depth < 5; depth++) {
    const c = cur as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof c.message === 'string' && c.message) innermost = c.message;
    if (typeof c.code === 'string' && /^[A-Z_]+$/.test(c.code)) return { code: c.code, message: innermost };
    if (Array.isArray(c.errors) && c.errors.length) cur = c.errors[0];
    else cur = c.cause;
  }
  return { message: innermost };
}

function statusOf(e: ErrorLike): number | undefined {
  if (typeof e.status === 'number') return e.status;
  // An error object inside a 200 stream: OpenRouter puts the HTTP-like code in error.code.
  const body = e.error as { code?: unknown } | undefined;
  if (body && typeof body.code === 'number' && body.code >= 400 && body.code < 600) return body.code;
  return undefined;
}

const CONTEXT_RE = /context[_ ]length|maximum context|context window|too many tokens|prompt is too long|reduce the length|maximum input length|exceeds the (model|token)/i;

export function setKeyFix(p: ResolvedProfile) {
  return { title: 'Set API Key', command: 'ponder.setApiKey', args: [p.id] };
}

export function describeError(err: unknown, ctx: ErrorContext): ModelError {
  const p = ctx.profile;
  const e = (err ?? {}) as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const at = where(p);
  const model = ctx.model ?? p.model ?? 'the model';
  const cut = ctx.outputStarted ? ` The stream was cut after ${ctx.receivedChars ?? 0} characters; the partial answer is kept.` : '';

  if (name === 'APIUserAbortError' || name === 'AbortError') return { kind: 'cancelled', message: 'The request was cancelled.' };
  if (name === 'APIConnectionTimeoutError' || /timed? ?out/i.test(String(e.message ?? '')) && !statusOf(e)) {
    return {
      kind: 'timeout', retryable: !ctx.outputStarted,
      message: `No response from ${at} within ${p.timeoutSeconds} s.${cut}`,
      action: isLocal(p) ? 'The server may be busy loading the model or with a long prompt: wait and retry, or raise "timeoutSeconds" in the profile.' : 'Retry, or raise "timeoutSeconds" in the profile.',
    };
  }

  if (err instanceof SyntaxError || /malformed|not valid JSON|Unexpected token/i.test(String(e.message ?? '')) && !statusOf(e)) {
    return {
      kind: 'bad-response',
      message: `${at} sent a stream chunk that is not valid JSON, so the stream was stopped.${cut}`,
      action: 'This is a server or proxy fault: retry; if it persists, check what sits between Ponder and the server.',
    };
  }

  const status = statusOf(e);
  const server = serverMessage(e);
  const headers = e.headers && typeof (e.headers as HeaderLike).get === 'function' ? (e.headers as HeaderLike) : undefined;

  if (status === undefined) {
    // Connection-level failures (no HTTP status) and in-stream error objects without a code.
    if (e.error !== undefined && name !== 'APIConnectionError') {
      if (isSafetyBlock(e.error)) {
        return { kind: 'content-filter', message: `Foundry's output safety stopped the answer (SafetyBlockedError)${server ? `: ${server}` : ''}.${cut || ' Nothing had arrived before it.'}`, action: 'Rephrase the request, or leave out the file or selection that carries the flagged text.' };
      }
      return { kind: 'server', retryable: !ctx.outputStarted, message: `${at} reported an error mid-stream: ${server || 'no details'}.${cut}`, action: 'Retry; if it keeps happening, try another endpoint.' };
    }
    const { code, message: causeMsg } = causeCode(err);
    if (code === STREAM_LIMIT) {
      return { kind: 'bad-response', message: `${causeMsg}.${cut}`, action: 'This is a server or proxy fault (or a runaway answer); check the server, then ask again.' };
    }
    if (code === CROSS_ORIGIN_REDIRECT) {
      return { kind: 'connection', message: `Refused a redirect: ${causeMsg}.`, action: `If you trust the new address, set "baseUrl" of profile "${p.id}" to it.` };
    }
    if (code === 'ECONNREFUSED') {
      return {
        kind: 'connection', retryable: true,
        message: `No server at ${p.baseUrl}${p.origin === 'default' ? " (Ponder's built-in default endpoint)" : ''} (connection refused).`,
        action: connectionRefusedAction(p),
      };
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return { kind: 'connection', retryable: code === 'EAI_AGAIN', message: `The host of ${p.baseUrl} could not be found (DNS ${code}).`, action: `Check the spelling of ${fieldRef(p, 'baseUrl')}, your network and proxy.` };
    }
    if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
      return { kind: 'connection', message: `The TLS certificate of ${p.baseUrl} is not trusted (${code}).`, action: 'Use the server\'s proper https name, or install the corporate root certificate (NODE_EXTRA_CA_CERTS for the CLI).' };
    }
    const dropped = code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || /terminated|other side closed|socket hang up|premature close/i.test(`${e.message ?? ''} ${causeMsg ?? ''}`);
    if (dropped) {
      return { kind: 'connection', retryable: !ctx.outputStarted, message: `The connection to ${p.baseUrl} dropped${ctx.outputStarted ? ' mid-stream' : ''}.${cut}`, action: ctx.outputStarted ? 'Ask again to get a complete answer.' : 'Retry; check the server\'s logs if it keeps happening.' };
    }
    return { kind: 'connection', retryable: !ctx.outputStarted, message: `Could not reach ${p.baseUrl}${code ? ` (${code})` : ''}: ${causeMsg && causeMsg !== e.message ? causeMsg : server || 'connection error'}.${cut}`, action: `Check ${fieldRef(p, 'baseUrl')}, the network and any proxy.` };
  }

  const base = { status, message: '' };
  if (status === 401 || status === 403) {
    const action = p.auth === 'entra'
      ? 'Sign in again with your Microsoft account (Entra ID); the account needs the "Cognitive Services User" role on the Foundry resource.'
      : p.origin === 'flag'
        ? 'Pass the key with --api-key-env VAR (the name of an environment variable that holds it).'
        : p.auth === 'none'
          ? `This endpoint wants a key: set "auth": "apiKey" in ${p.origin === 'default' ? `a profile of your own (${NO_PROFILE})` : `profile "${p.id}" (${SETTINGS_HINT})`} and run "Ponder: Set API Key" (on the command line: --api-key-env VAR).`
          : `Run "Ponder: Set API Key" for profile "${p.id}" (on the command line: --api-key-env VAR).`;
    const which = p.auth === 'entra' ? 'Microsoft Entra ID token' : p.origin === 'flag' ? (ctx.hadKey ? 'key from --api-key-env' : 'request without a key') : ctx.hadKey ? `key stored for profile "${p.id}"` : `key for profile "${p.id}" (none is stored)`;
    const how = p.provider === 'foundry' ? foundryAuthHow(p, !!ctx.hadKey) : undefined;
    return {
      ...base, kind: 'auth',
      message: `${at} refused the ${which}${how ? ` ${how.sent}` : ''} (${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'})${server ? `: ${server}` : ''}.`,
      action: how ? `${action} ${how.hint}` : action,
      // With auth "none" a stored key would not be sent: the way out is the profile, not the key.
      fix: p.auth === 'apiKey' ? setKeyFix(p) : p.auth === 'none' ? { title: 'Open Settings', command: 'workbench.action.openSettings', args: ['ponder.endpoints'] } : undefined,
    };
  }
  if (status === 402) {
    return { ...base, kind: 'balance', message: `${at} reports insufficient balance or credits (402)${server ? `: ${server}` : ''}.`, action: 'Add credits with the provider, or switch to another endpoint with "Ponder: Select Endpoint".', fix: { title: 'Select Endpoint', command: 'ponder.selectEndpoint' } };
  }
  if (status === 413 || ((status === 400 || status === 422) && CONTEXT_RE.test(server))) {
    const n = (x: number) => x.toLocaleString('en-US');
    const sent = ctx.promptTokens !== undefined ? `${n(ctx.promptTokens)} prompt tokens + ${n(p.maxOutputTokens)} reserved for output` : `${n(p.maxOutputTokens)} tokens reserved for output`;
    return { ...base, kind: 'context-length', message: `The request (${sent}) does not fit the context window of ${model} (${n(p.contextWindow)} tokens by profile "${p.id}")${server ? `: ${server}` : ''}.`, action: 'Lower "ponder.context.budget", select less code, or lower "maxOutputTokens" / set "contextWindow" in the profile to what the server really has.' };
  }
  if (status === 404 && p.provider === 'foundry') return { ...base, ...foundry404(p, model, server) };
  if (status === 404) {
    return { ...base, kind: 'not-found', message: `${at} has no model "${model}" (404)${server ? `: ${server}` : ''}.`, action: `Set ${fieldRef(p, 'model')} to one the server offers (run \`ponder models ${!p.origin ? `--endpoint ${p.id}` : `--base-url ${p.baseUrl}`}\`), and check that the URL ends in the API root (usually /v1).` };
  }
  if (status === 408) {
    return { ...base, kind: 'timeout', retryable: !ctx.outputStarted, message: `${at} timed out waiting for the request (408).${cut}`, action: 'Retry; check the network or proxy between Ponder and the server.' };
  }
  if (status === 429) {
    const wait = serverRetryDelay(headers);
    return {
      ...base, kind: 'rate-limit', retryable: !ctx.outputStarted, retryAfterMs: wait,
      message: `${at} is rate limiting requests (429)${server ? `: ${server}` : ''}.${cut}`,
      action: (wait !== undefined ? `Retry in ${formatWait(wait)}.` : 'Wait a moment and retry, or use another endpoint.') + (p.foundryApi === 'mai' ? ` ${foundryQuotaHint(p)}` : ''),
    };
  }
  if (status >= 500 && ctx.outputStarted) {
    return { ...base, kind: 'server', message: `${at} reported an error mid-stream (${status})${server ? `: ${server}` : ''}.${cut}`, action: 'Ask again; if it keeps happening, try another endpoint.' };
  }
  if (status >= 500) {
    return { ...base, kind: 'server', retryable: !ctx.outputStarted, retryAfterMs: serverRetryDelay(headers), message: `${at} failed with ${status}${server ? `: ${server}` : ''}.${cut}`, action: isLocal(p) ? 'Check the server\'s log (out of memory? model still loading?) and retry.' : 'The provider has a problem: retry in a moment or use another endpoint.' };
  }
  if (status === 400 && p.provider === 'foundry' && isSafetyBlock(e.error, server)) {
    return { ...base, kind: 'content-filter', message: `Foundry's input safety blocked the prompt before generation (400)${server ? `: ${server}` : ''}.`, action: 'Rephrase the question, or leave out the file or selection that carries the flagged text (the sidebar lists what was packed).' };
  }
  // 400 and the rest: say what the server objected to and the profile fields that usually cause it.
  let action = 'Check the profile against what the server supports.';
  if (/reasoning_content is missing|reasoning.*missing/i.test(server)) action = `This server wants the reasoning sent back on tool-call turns: set "sendReasoningBack": true in profile "${p.id}".`;
  else if (/reasoning_content|reasoning_details|unrecognized request argument|extra (fields|inputs) not permitted/i.test(server)) action = `This server rejects fields Ponder sent: if it names reasoning, set "sendReasoningBack": false in profile "${p.id}".`;
  else if (/temperature|top_p/i.test(server)) action = 'This model refuses sampling parameters: do not set temperature for this profile.';
  else if (/max_tokens|max_completion_tokens/i.test(server)) action = `Lower "maxOutputTokens" in profile "${p.id}".`;
  else if (/developer/i.test(server)) action = `Set "developerRole": "system" in profile "${p.id}".`;
  return { ...base, kind: 'bad-response', message: `${at} rejected the request (${status})${server ? `: ${server}` : ''}.`, action };
}

/** Nothing listens at the URL: say that URL, how to start a server on it, and where the URL is set. */
function connectionRefusedAction(p: ResolvedProfile): string {
  if (!isLocal(p)) return `Check ${fieldRef(p, 'baseUrl')} and your network.`;
  let port = '';
  try {
    const u = new URL(p.baseUrl);
    port = u.port || (u.protocol === 'https:' ? '443' : '80');
  } catch { /* not a URL: no port to name */ }
  const serve = `\`vllm serve ${p.model ?? '<model>'}${port && port !== '8000' ? ` --port ${port}` : ''}\``;
  if (p.origin === 'default') return `Is vLLM running? Start it with ${serve} (it listens on http://localhost:8000/v1). ${NO_PROFILE[0].toUpperCase()}${NO_PROFILE.slice(1)}.`;
  if (p.origin === 'flag') return `Is a server running at ${p.baseUrl}? Start it (vLLM: ${serve}), or pass the URL it listens on with --base-url.`;
  return `Is a server running at ${p.baseUrl}? Start it (vLLM: ${serve}), or fix ${fieldRef(p, 'baseUrl')}.`;
}

export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * Removes secrets from text bound for events, logs and errors. Servers sometimes echo the key
 * they refused; this is the last line of defence, applied to every message the client emits.
 */
export function scrubSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  // A long server message is cut (at "…" or the end): a key straddling the cut leaves its
  // first characters there, which are scrubbed too.
  for (const s of secrets) if (s && s.length >= 4) out = scrubCutPrefix(out, s);
  // Key-shaped tokens even when we did not know them (a proxy's own key, a header echoed back).
  return out
    .replace(/\b(sk|rk|pk)-[A-Za-z0-9_-]{8,}/g, '$1-***')
    .replace(/\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 ***');
}

/** An error with its message and advice scrubbed of `secrets` (see scrubSecrets). */
export function scrubError(error: ModelError, secrets: (string | undefined)[]): ModelError {
  return { ...error, message: scrubSecrets(error.message, secrets), ...(error.action ? { action: scrubSecrets(error.action, secrets) } : {}) };
}

/** The first 3+ characters of `key` where text is cut (before each "…" and at the end), replaced by ***. */
function scrubCutPrefix(text: string, key: string): string {
  const parts = text.split('…');
  return parts.map((part) => {
    for (let n = Math.min(key.length - 1, part.length); n >= 3; n--) {
      if (part.endsWith(key.slice(0, n))) return part.slice(0, part.length - n) + '***';
    }
    return part;
  }).join('…');
}
