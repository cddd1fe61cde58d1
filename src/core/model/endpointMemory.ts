/** A parameter an endpoint rejected by name, and what to send its value as instead, if anything. */
export interface Rejection { param: string; replacement?: string }

/** How long the model a server lists is trusted: a tool loop does not ask `/models` every turn. */
const SERVED_MODEL_TTL_MS = 60_000;

/**
 * What endpoints taught this session: the request parameters each rejected by name (and what to
 * send instead), and the model a server lists when the profile names none. The composition root
 * keeps one for the window (VS Code) or the process (the CLI) and hands it to each request; a
 * request given none remembers only for its own turns.
 */
export class EndpointMemory {
  private readonly rejected = new Map<string, Map<string, string | undefined>>();
  private readonly served = new Map<string, { id: string; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Parameters this endpoint (base URL and model) rejected, each with its replacement if any. */
  rejections(p: { baseUrl: string }, model: string): Rejection[] {
    return [...(this.rejected.get(keyOf(p, model)) ?? [])].map(([param, replacement]) => ({ param, ...(replacement ? { replacement } : {}) }));
  }

  rememberRejection(p: { baseUrl: string }, model: string, r: Rejection): void {
    const key = keyOf(p, model);
    const known = this.rejected.get(key) ?? new Map<string, string | undefined>();
    known.set(r.param, r.replacement);
    this.rejected.set(key, known);
  }

  /** The model the server at `baseUrl` listed lately, if any. */
  servedModel(baseUrl: string): string | undefined {
    const hit = this.served.get(baseUrl);
    return hit && this.now() - hit.at < SERVED_MODEL_TTL_MS ? hit.id : undefined;
  }

  rememberServedModel(baseUrl: string, id: string): void {
    this.served.set(baseUrl, { id, at: this.now() });
  }
}

const keyOf = (p: { baseUrl: string }, model: string) => `${p.baseUrl}|${model}`;
