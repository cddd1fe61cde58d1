import type { PonderEvent } from '../../core/events';

/**
 * Removes anything that looks like a credential from exported trace text. Events carry no
 * secrets by design; this is the second line, for keys a model or a tool echoed into its text.
 */
const PATTERNS: RegExp[] = [
  // Authorization / api-key style headers and key=value pairs, in JSON or plain text.
  /((?:authorization|proxy-authorization|api[-_]?key|x-api-key|access[-_]?token|secret|password|bearer)["']?\s*[:=]\s*["']?)(?:bearer\s+|basic\s+)?[^\s"',;}]{6,}/gi,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g,
  // Well-known key shapes: OpenAI/OpenRouter, Anthropic, GitHub, AWS, Google, Slack, JWTs.
  /\bsk-(?:or-|ant-|proj-)?[A-Za-z0-9_-]{16,}/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  // Azure/Foundry keys: 32 hex characters standing alone.
  /\b[0-9a-f]{32}\b/gi,
];

export const REDACTED = '[redacted]';

export function scrubText(text: string): string {
  let out = text;
  for (const re of PATTERNS) {
    out = out.replace(re, (match, prefix?: unknown) => (typeof prefix === 'string' && match.startsWith(prefix) ? prefix + REDACTED : REDACTED));
  }
  return out;
}

/** Identifiers that may look like hex keys but are ours. */
const KEEP = new Set(['requestId', 'type', 't', 'id']);

/** Scrubs every string in a value, keys kept. */
export function scrubValue<T>(value: T): T {
  if (typeof value === 'string') return scrubText(value) as T;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (KEEP.has(k)) out[k] = v;
      else out[k] = /^(authorization|api[-_]?key|x-api-key|token|secret|password)$/i.test(k) ? REDACTED : scrubValue(v);
    }
    return out as T;
  }
  return value;
}

/** The request's events as JSONL, one event a line, scrubbed. */
export function traceToJsonl(events: readonly PonderEvent[]): string {
  return events.map((e) => JSON.stringify(scrubValue(e))).join('\n') + (events.length ? '\n' : '');
}
