import { z } from 'zod';
import { createClient } from './sdk';
import type { ModelInfo, ResolvedProfile } from './types';

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
