import * as z from 'zod/mini';

/**
 * Messages between the cost report's host (src/vscode/costReport) and its page
 * (src/webview/costReport). Both sides parse what they receive. zod/mini keeps the page small.
 */
const Tokens = z.object({
  prompt: z.number(), cached: z.number(), cacheWrite: z.number(), completion: z.number(), reasoning: z.number(), total: z.number(),
});
export const BucketViewSchema = z.object({ amount: z.number(), requests: z.number(), unpriced: z.number(), tokens: Tokens });
export type BucketView = z.infer<typeof BucketViewSchema>;

export const SelfHostedViewSchema = z.object({
  endpoint: z.string(),
  label: z.string(),
  monthTokens: z.number(),
  perHour: z.nullable(z.number()),
  serverMonthly: z.nullable(z.number()),
  apiProfile: z.nullable(z.string()),
  apiCostOfMonth: z.nullable(z.number()),
  breakEvenTokens: z.nullable(z.number()),
  message: z.string(),
  /** Profiles with per-token prices the user can compare against. */
  apiChoices: z.array(z.object({ id: z.string(), label: z.string() })),
});

export const ReportSnapshotSchema = z.object({
  type: z.literal('snapshot'),
  generatedAt: z.string(),
  ledgerPath: z.string(),
  dayKey: z.string(),
  monthKey: z.string(),
  session: BucketViewSchema,
  today: BucketViewSchema,
  month: BucketViewSchema,
  budget: z.object({ daily: z.nullable(z.number()), monthly: z.nullable(z.number()), perRequest: z.nullable(z.number()) }),
  byEndpoint: z.array(z.object({ key: z.string(), label: z.string(), source: z.string(), bucket: BucketViewSchema })),
  byWorkspace: z.array(z.object({ key: z.string(), bucket: BucketViewSchema })),
  days: z.array(z.object({ day: z.string(), amount: z.number(), tokens: z.number(), requests: z.number() })),
  selfHosted: z.array(SelfHostedViewSchema),
  testMode: z.optional(z.boolean()),
});
export type ReportSnapshot = z.infer<typeof ReportSnapshotSchema>;

export const ReportHostMessageSchema = z.discriminatedUnion('type', [
  ReportSnapshotSchema,
  /** Test mode only: the page answers with what it shows. */
  z.object({ type: z.literal('probe'), id: z.string() }),
]);
export type ReportHostMessage = z.infer<typeof ReportHostMessageSchema>;

export const ReportProbeSchema = z.object({
  theme: z.string(),
  cards: z.array(z.object({ label: z.string(), value: z.string() })),
  endpoints: z.array(z.string()),
  workspaces: z.array(z.string()),
  chartBars: z.number(),
  chartLabel: z.string(),
  breakEven: z.array(z.string()),
});
export type ReportProbe = z.infer<typeof ReportProbeSchema>;

export const ReportPageMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('exportCsv') }),
  z.object({ type: z.literal('refresh') }),
  /** Compare a self-hosted endpoint against another profile's API prices. */
  z.object({ type: z.literal('compare'), endpoint: z.string(), apiProfile: z.string() }),
  z.object({ type: z.literal('probeResult'), id: z.string(), probe: ReportProbeSchema }),
]);
export type ReportPageMessage = z.infer<typeof ReportPageMessageSchema>;
