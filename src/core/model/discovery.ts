import { z } from 'zod';
import { describeError, scrubError } from './errors';
import { createClient } from './sdk';
import type { HealthStatus, ModelInfo, ResolvedProfile } from './types';

/** `/models` entries: OpenAI's shape plus vLLM's `max_model_len` and other servers' window fields. */
const ModelEntrySchema = z.object({
  id: z.string(),
  owned_by: z.string().nullish(),
  max_model_len: z.number().int().positive().nullish(),
  context_length: z.number().int().positive().nullish(),
  context_window: z.number().int().positive().nullish(),
});

/** Lists the models an endpoint serves, with the context window where the server says it. Throws SDK errors. */
export async function listModels(p: ResolvedProfile, apiKey: string | undefined, signal?: AbortSignal): Promise<ModelInfo[]> {
  const client = await createClient(p, apiKey);
  const page = await client.models.list({ signal, maxRetries: 0, timeout: Math.min(p.timeoutSeconds, 15) * 1000 });
  const out: ModelInfo[] = [];
  for (const raw of page.data as unknown[]) {
    const parsed = ModelEntrySchema.safeParse(raw);
    if (!parsed.success) continue;
    const m = parsed.data;
    out.push({ id: m.id, contextWindow: m.max_model_len ?? m.context_length ?? m.context_window ?? undefined, ownedBy: m.owned_by ?? undefined });
  }
  return out;
}

const HEALTH_TTL_MS = 10_000;
const healthCache = new Map<string, { at: number; value: Promise<HealthStatus> }>();

/**
 * Whether an endpoint answers, from a `/models` call, cached for a few seconds per profile so a
 * status bar and a picker asking at once cause one request. Never throws.
 */
export function checkHealth(p: ResolvedProfile, apiKey: string | undefined, opts: { force?: boolean; now?: () => number } = {}): Promise<HealthStatus> {
  const now = opts.now ?? Date.now;
  const key = `${p.id}\u0000${p.baseUrl}\u0000${apiKey ? 'k' : ''}`;
  const hit = healthCache.get(key);
  if (hit && !opts.force && now() - hit.at < HEALTH_TTL_MS) return hit.value;
  const value = (async (): Promise<HealthStatus> => {
    const start = performance.now();
    try {
      const models = await listModels(p, apiKey);
      return { up: true, latencyMs: Math.round(performance.now() - start), checkedAt: now(), models };
    } catch (err) {
      // A server may echo the key it refused: the status is shown in the status bar and picker.
      const error = scrubError(describeError(err, { profile: p, hadKey: !!apiKey }), [apiKey]);
      // A server that answers 401 is up; it just wants a key.
      return { up: error.kind === 'auth' || error.kind === 'rate-limit', latencyMs: Math.round(performance.now() - start), checkedAt: now(), error };
    }
  })();
  healthCache.set(key, { at: now(), value });
  return value;
}

export function clearHealthCache(): void { healthCache.clear(); }
