import { z } from 'zod';

export const PROVIDERS = ['foundry', 'openrouter', 'fireworks', 'baseten', 'vllm', 'openai-compatible'] as const;
export type Provider = (typeof PROVIDERS)[number];

/**
 * Which Foundry API a `foundry` profile is on: MAI models have their own route
 * (`<resource>.services.ai.azure.com/mai/v1`); other models use the OpenAI v1 route
 * (`/openai/v1`) or the classic `/openai/deployments/<name>?api-version=` route.
 */
export const FOUNDRY_APIS = ['mai', 'openai', 'classic'] as const;
export type FoundryApi = (typeof FOUNDRY_APIS)[number];

export const PricingSchema = z.object({
  inputPerMTok: z.number().nonnegative().optional(),
  cachedInputPerMTok: z.number().nonnegative().optional(),
  cacheWritePerMTok: z.number().nonnegative().optional(),
  outputPerMTok: z.number().nonnegative().optional(),
  reasoningPerMTok: z.number().nonnegative().optional(),
  perHour: z.number().nonnegative().optional(),
  concurrency: z.number().int().positive().optional(),
}).strict();
export type Pricing = z.infer<typeof PricingSchema>;

/** Header names whose values are credentials: refused in settings, they belong in SecretStorage. */
const SECRET_HEADER = /^(authorization|api-key|x-api-key|proxy-authorization)$/i;

const httpUrl = z.url({ protocol: /^https?$/, error: 'use an http:// or https:// URL, e.g. http://localhost:8000/v1' });

/** An endpoint profile as written in settings.json (`ponder.endpoints[]`). Preset defaults are applied later. */
export const EndpointProfileSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" or "-"'),
  label: z.string().optional(),
  provider: z.enum(PROVIDERS).default('openai-compatible'),
  baseUrl: httpUrl.optional(),
  model: z.string().min(1).optional(),
  auth: z.enum(['apiKey', 'entra', 'none']).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  apiVersion: z.string().optional(),
  foundryApi: z.enum(FOUNDRY_APIS).optional(),
  contextWindow: z.number().int().min(1024).optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  reasoningEffort: z.enum(['low', 'medium', 'high']).optional(),
  developerRole: z.enum(['developer', 'system']).optional(),
  sendReasoningBack: z.boolean().optional(),
  pricing: PricingSchema.optional(),
  timeoutSeconds: z.number().positive().optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  metricsUrl: httpUrl.optional(),
}).strict().superRefine((p, ctx) => {
  for (const name of Object.keys(p.headers ?? {})) {
    if (SECRET_HEADER.test(name)) {
      ctx.addIssue({ code: 'custom', path: ['headers', name], message: `a credential header does not belong in settings: store the key with "Ponder: Set API Key" (SecretStorage) for profile "${p.id}"` });
    }
  }
});
export type EndpointProfileInput = z.infer<typeof EndpointProfileSchema>;

/** Keys people try to put in a profile; named so the error can say where the key belongs. */
export const KEY_LIKE_FIELDS = ['apiKey', 'api_key', 'key', 'token', 'secret', 'password'];
