/**
 * API calls follow a redirect only within the same origin. Across origins, fetch would re-send
 * the whole prompt, and Node's fetch drops only `Authorization`: an `api-key` header (Foundry)
 * or any custom header would go to the other host. So a redirect to another origin is refused
 * with an error naming both URLs; one within the origin is followed as fetch would follow it.
 */

export const CROSS_ORIGIN_REDIRECT = 'PONDER_CROSS_ORIGIN_REDIRECT';
const MAX_HOPS = 5;

export class CrossOriginRedirectError extends Error {
  readonly code = CROSS_ORIGIN_REDIRECT;
  constructor(readonly from: string, readonly to: string, status: number) {
    super(`${from} answered ${status}, a redirect to ${to} on another origin; Ponder does not follow it, as it would carry the key and the prompt there`);
    this.name = 'CrossOriginRedirectError';
  }
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** `base` with redirects handled by hand: same origin followed (up to five hops), another origin refused. */
export function sameOriginFetch(base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    let url = urlOf(input);
    let req: RequestInit = { ...(input instanceof Request ? { method: input.method, headers: input.headers, body: input.body, signal: input.signal } : {}), ...init, redirect: 'manual' };
    for (let hop = 0; ; hop++) {
      const res = await base(url, req);
      const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (!location) return res;
      const next = new URL(location, url);
      if (next.origin !== new URL(url).origin) {
        await res.body?.cancel().catch(() => undefined);
        throw new CrossOriginRedirectError(url, next.href, res.status);
      }
      if (hop >= MAX_HOPS) return res;
      await res.body?.cancel().catch(() => undefined);
      // 303, and 301/302 after a POST, become a GET without a body (as fetch does); 307/308 repeat the request.
      const method = (req.method ?? 'GET').toUpperCase();
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        const headers = new Headers(req.headers);
        headers.delete('content-type');
        headers.delete('content-length');
        req = { ...req, method: 'GET', body: undefined, headers };
      }
      url = next.href;
    }
  };
}
