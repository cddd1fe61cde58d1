import * as z from 'zod/mini';

/**
 * What the sidebar header shows: the active endpoint with its health, and the spend against the
 * budget. The endpoints and spend parts own these numbers and hand them over through
 * `sidebarHeader.set()` (src/vscode/sidebar/header.ts); anything absent renders as "—".
 */
export const HealthStateSchema = z.enum(['up', 'down', 'degraded', 'unknown']);

export const HeaderInfoSchema = z.object({
  endpoint: z.optional(z.object({
    id: z.string(),
    label: z.string(),
    model: z.string(),
    health: z.optional(z.object({ state: HealthStateSchema, detail: z.optional(z.string()) })),
  })),
  /** How many profiles the user configured (the welcome offers Add Endpoint until there is one), and where requests go. */
  setup: z.optional(z.object({ profiles: z.number(), defaultLabel: z.optional(z.string()) })),
  /** The reasoning effort for the next requests; absent when the active endpoint takes none. */
  effort: z.optional(z.object({ label: z.string() })),
  spend: z.optional(z.object({
    session: z.number(),
    today: z.number(),
    month: z.number(),
    budgetDaily: z.optional(z.nullable(z.number())),
    budgetMonthly: z.optional(z.nullable(z.number())),
    currency: z.literal('USD'),
  })),
});
export type HeaderInfo = z.infer<typeof HeaderInfoSchema>;
