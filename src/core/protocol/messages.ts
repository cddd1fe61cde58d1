import * as z from 'zod/mini';
import type { PonderEvent, PonderEventType } from '../events';
import { COST_SOURCES, REQUEST_COMMANDS } from '../eventValues';
import { HeaderInfoSchema } from './header';

/**
 * The one message protocol between the sidebar host (src/vscode/sidebar) and its webview
 * (src/webview). Both sides parse what they receive with these schemas. It uses `zod/mini` so the
 * browser bundle stays small; events are checked by their envelope here (why: see
 * EventEnvelopeSchema below).
 */

const EVENT_TYPES = [
  'request.start', 'context.packed', 'reasoning.delta', 'content.delta', 'tool.call', 'tool.approval',
  'tool.result', 'retry', 'usage', 'cost', 'error', 'request.end', 'notice', 'prompt.meter',
  'agent.task.start', 'agent.plan', 'agent.step.start', 'agent.step', 'agent.file', 'agent.check', 'agent.condensed', 'agent.decision', 'agent.task.end',
] as const satisfies readonly PonderEventType[];
// Fails to compile when events.ts gains a type this list lacks.
const _allTypesListed: Exclude<PonderEventType, (typeof EVENT_TYPES)[number]> extends never ? true : never = true;
void _allTypesListed;

/*
 * Why the webview checks only an event's envelope, not its whole body (the one place this is said):
 * - Size: the full schema is classic zod (../events.ts). Importing it here was measured to grow
 *   dist/webview.js from 158 KB to 595 KB minified (+437 KB; esbuild --minify, measured on 2026-12-01),
 *   three times the bundle's 200 KB limit (bench:size). A zod/mini copy of the model would be a
 *   second definition of every event to keep in step with the first.
 * - Nothing unchecked reaches the host's store: events the core emits are built against the
 *   typed model (RequestEmitter.emit takes and returns each event's own type); the history
 *   restored from workspaceState (sidebar/persistence.ts) and events fed by the integration
 *   suites (ponder._test.feedEvents) are parsed with the full schema first, and anything else
 *   is dropped there. The webview's only sender is that host.
 * So the envelope check here catches a message that is not an event at all; a malformed body
 * cannot arrive without first failing the full schema on the host.
 */
const EventEnvelopeSchema = z.looseObject({ type: z.enum(EVENT_TYPES), requestId: z.string(), t: z.number() });
/** An event as the protocol carries it: the envelope is checked, the body is the core's model. */
export const ProtocolEventSchema = z.pipe(EventEnvelopeSchema, z.transform((e) => e as unknown as PonderEvent));

export const RequestStatusSchema = z.enum(['running', 'done', 'error', 'cancelled']);

export const RequestSummarySchema = z.object({
  requestId: z.string(),
  endpoint: z.string(),
  model: z.string(),
  command: z.optional(z.enum(REQUEST_COMMANDS)),
  prompt: z.optional(z.string()),
  focus: z.optional(z.string()),
  status: RequestStatusSchema,
  startedAt: z.number(),
  ms: z.optional(z.number()),
  usage: z.optional(z.object({
    prompt: z.number(), cached: z.number(), completion: z.number(), reasoning: z.number(), cacheWrite: z.number(),
  })),
  cost: z.optional(z.nullable(z.number())),
  costSource: z.optional(z.enum(COST_SOURCES)),
});
export type RequestSummaryMessage = z.infer<typeof RequestSummarySchema>;

// ---- host -> webview ----------------------------------------------------------------------

export const SnapshotMessageSchema = z.object({
  type: z.literal('snapshot'),
  requests: z.array(RequestSummarySchema),
  selected: z.optional(z.string()),
  /** The selected request's events, deltas coalesced. */
  events: z.array(ProtocolEventSchema),
  header: HeaderInfoSchema,
  /** True only in the extension's test mode: the webview then answers `probe` messages. */
  testMode: z.optional(z.boolean()),
});

export const HostMessageSchema = z.discriminatedUnion('type', [
  SnapshotMessageSchema,
  /** Incremental: changed list rows, and new events of the selected request (deltas coalesced). */
  z.object({
    type: z.literal('update'),
    requests: z.array(RequestSummarySchema),
    selected: z.optional(z.string()),
    events: z.array(ProtocolEventSchema),
  }),
  /** The whole detail of a newly selected request. */
  z.object({ type: z.literal('detail'), selected: z.string(), events: z.array(ProtocolEventSchema) }),
  z.object({ type: z.literal('header'), header: HeaderInfoSchema }),
  z.object({ type: z.literal('cleared') }),
  /** Test mode only: asks the webview to report what it shows, or to click one of its controls. */
  z.object({ type: z.literal('probe'), id: z.string(), click: z.optional(z.string()) }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

// ---- webview -> host ----------------------------------------------------------------------

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('select'), requestId: z.string() }),
  z.object({
    type: z.literal('openFile'),
    path: z.string(),
    root: z.optional(z.string()),
    range: z.optional(z.tuple([z.number(), z.number()])),
  }),
  z.object({ type: z.literal('openLink'), url: z.string() }),
  /** A code block's Copy button: its text, for the clipboard. */
  z.object({ type: z.literal('copyText'), text: z.string().check(z.maxLength(1_000_000)) }),
  z.object({
    type: z.literal('action'),
    action: z.enum(['cancel', 'rerun', 'copyAnswer', 'export', 'clearHistory', 'setApiKey', 'openSettings', 'addEndpoint', 'selectEndpoint', 'selectEffort', 'agentUndo', 'agentReview']),
    requestId: z.optional(z.string()),
  }),
  z.object({
    type: z.literal('approve'),
    requestId: z.string(), callId: z.string(), allow: z.boolean(), forSession: z.optional(z.boolean()),
  }),
  /** An error's fix button: the host runs only the command the error event named. */
  z.object({ type: z.literal('runFix'), requestId: z.string(), index: z.number() }),
  z.object({
    type: z.literal('probeResult'),
    id: z.string(),
    result: z.record(z.string(), z.unknown()),
  }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

/** Describes why a message failed its schema, for the log; never includes the message body. */
export function describeIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}
