import type { EndpointMemory, Rejection } from './endpointMemory';

/**
 * Endpoints that reject a request parameter by name heal themselves: the parameter is dropped
 * (or renamed, where the server names the replacement), the request is sent once more, and the
 * session's EndpointMemory keeps it so later requests to that endpoint leave it out at once.
 * Recognized: OpenAI/Azure "Unsupported parameter: 'x'" / "Unknown parameter" / "Unrecognized
 * request argument supplied: x", vLLM/pydantic `extra_forbidden` / "Extra inputs are not
 * permitted" with the field's `loc`, and an error body's `param` field.
 */

/** Never dropped: without these there is no request. Tools have their own fallback (answer without them). */
const ESSENTIAL = new Set(['model', 'messages', 'stream', 'tools', 'tool_choice']);

export type { Rejection };

/** The parameter a 400/422 names as unsupported, if it is one the body carries and may lose. */
export function rejectedParameter(err: unknown, body: Record<string, unknown>): Rejection | undefined {
  const e = (err ?? {}) as { status?: unknown; error?: unknown; param?: unknown; message?: unknown };
  if (e.status !== 400 && e.status !== 422) return undefined;
  const text = [typeof e.message === 'string' ? e.message : '', safeJson(e.error)].join(' ');
  const candidates: string[] = [];
  const param = typeof e.param === 'string' ? e.param : typeof (e.error as { param?: unknown } | undefined)?.param === 'string' ? (e.error as { param: string }).param : undefined;
  if (param) candidates.push(param);
  for (const re of [
    /unsupported (?:parameter|value)[:\s]+['"`]?([A-Za-z_][\w.]*)/gi,
    /unknown (?:parameter|field|argument)[:\s]+['"`]?([A-Za-z_][\w.]*)/gi,
    /unrecognized (?:request )?arguments? supplied[:\s]+['"`]?([A-Za-z_][\w.]*)/gi,
    /['"`]([A-Za-z_][\w.]*)['"`] is not (?:supported|permitted|allowed)/gi,
  ]) for (const m of text.matchAll(re)) candidates.push(m[1]);
  if (/extra_forbidden|extra inputs are not permitted|extra fields not permitted/i.test(text)) {
    // pydantic's loc: ["body", "x"] (FastAPI JSON) or ('body', 'x') (vLLM's repr in a message).
    for (const m of text.matchAll(/\\?["']?loc\\?["']?\s*:\s*[[(]\s*\\?["']body\\?["']\s*,\s*\\?["']([A-Za-z_]\w*)\\?["']/g)) candidates.push(m[1]);
  }
  for (const c of candidates) {
    const name = c.split(/[.[]/)[0];
    if (!ESSENTIAL.has(name) && name in body) {
      const instead = new RegExp(`use ['"\`]?(\\w+)['"\`]? instead`, 'i').exec(text)?.[1];
      return { param: name, ...(instead && instead !== name && !(instead in body) ? { replacement: instead } : {}) };
    }
  }
  return undefined;
}

/** Applies a rejection to a body in place: the parameter goes, its replacement (if any) takes its value. */
export function applyRejection(body: Record<string, unknown>, r: Rejection): void {
  if (!(r.param in body)) return;
  const value = body[r.param];
  delete body[r.param];
  if (r.replacement && !(r.replacement in body)) body[r.replacement] = value;
}

/** Drops what this endpoint rejected earlier in the session; returns what was left out, for the trace. */
export function applyKnownRejections(memory: EndpointMemory, baseUrl: string, model: string, body: Record<string, unknown>): Rejection[] {
  const applied = memory.rejections({ baseUrl }, model).filter((r) => r.param in body);
  for (const r of applied) applyRejection(body, r);
  return applied;
}

export function describeRejection(r: Rejection): string {
  return r.replacement ? `"${r.param}" (sent as "${r.replacement}" instead)` : `"${r.param}"`;
}

function safeJson(v: unknown): string {
  if (v === undefined) return '';
  try { return typeof v === 'string' ? v : JSON.stringify(v); } catch { return ''; }
}
