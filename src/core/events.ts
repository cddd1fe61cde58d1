import { z } from 'zod';
import { CONTEXT_KINDS, COST_SOURCES, FINISH_REASONS, REQUEST_COMMANDS } from './eventValues';

/**
 * The one event model of a request (docs/architecture.md). The chat response, the sidebar, the CLI's JSONL,
 * the ledger and the trace export all render these; nothing else describes a request.
 */

const base = { requestId: z.string(), t: z.number().describe('ms since epoch') };
/** Agent mode: the step (model turn, 1-based) an event belongs to, from its agent.step.start until the next turn is prepared. */
const inStep = { step: z.number().int().positive().optional().describe('agent mode: the step this event belongs to') };

export const RequestCommandSchema = z.enum(REQUEST_COMMANDS);
export type RequestCommand = z.infer<typeof RequestCommandSchema>;
export const FinishReasonSchema = z.enum(FINISH_REASONS);
export type FinishReason = z.infer<typeof FinishReasonSchema>;
export const ContextKindSchema = z.enum(CONTEXT_KINDS);
export type ContextKind = z.infer<typeof ContextKindSchema>;

export const ContextItemSchema = z.object({
  path: z.string().describe('relative to its workspace root; posix separators'),
  root: z.string().optional().describe('workspace folder name in multi-root workspaces'),
  ranges: z.array(z.tuple([z.number().int(), z.number().int()])).optional().describe('1-based inclusive; absent = whole file'),
  tokens: z.number().int(),
  reason: z.string(),
  kind: ContextKindSchema.optional(),
});
export type ContextItem = z.infer<typeof ContextItemSchema>;

export const WithheldSchema = z.object({ path: z.string(), reason: z.string() });
export type Withheld = z.infer<typeof WithheldSchema>;

export const UsageSchema = z.object({
  prompt: z.number().int().nonnegative(),
  cached: z.number().int().nonnegative().default(0),
  completion: z.number().int().nonnegative(),
  reasoning: z.number().int().nonnegative().default(0),
  cacheWrite: z.number().int().nonnegative().default(0),
});
export type Usage = z.infer<typeof UsageSchema>;

export const CostSourceSchema = z.enum(COST_SOURCES);
export type CostSource = z.infer<typeof CostSourceSchema>;

export const ErrorKindSchema = z.enum([
  'auth', 'balance', 'not-found', 'context-length', 'rate-limit', 'server', 'connection',
  'timeout', 'cancelled', 'content-filter', 'bad-response', 'config', 'budget', 'tool', 'internal',
]);
export type ErrorKind = z.infer<typeof ErrorKindSchema>;

/** A way out of an error the UI can offer as a button: a command id with arguments. */
export const FixActionSchema = z.object({ title: z.string(), command: z.string(), args: z.array(z.unknown()).optional() });
export type FixAction = z.infer<typeof FixActionSchema>;

/** Where the prompt's tokens go: what the context meter shows. */
export const MeterPartsSchema = z.object({
  instructions: z.number().int().describe("Ponder's own instructions and the command's task"),
  repoInstructions: z.number().int().describe('instruction files (AGENTS.md and the like)'),
  history: z.number().int(), tools: z.number().int().describe('tool schemas'),
  context: z.number().int().describe('packed repository context'), prompt: z.number().int().describe("the user's text and framing"),
});
export type MeterParts = z.infer<typeof MeterPartsSchema>;

/** Agent mode: one checklist item of the model's plan (update_plan). */
export const PlanItemSchema = z.object({ text: z.string(), status: z.enum(['pending', 'in_progress', 'done']) });
export type PlanItem = z.infer<typeof PlanItemSchema>;
export const AgentApproveSchema = z.enum(['none', 'edits', 'commands', 'all']).describe('ponder.agent.approve: what asks the user first');
export type AgentApprove = z.infer<typeof AgentApproveSchema>;
export const AgentLimitKindSchema = z.enum(['rounds', 'tokens', 'cost', 'time', 'budget']).describe('budget: ponder.budget.daily or .monthly (max and used: that budget and the spend counted against it)');
export type AgentLimitKind = z.infer<typeof AgentLimitKindSchema>;
export const AgentLimitsSchema = z.object({
  maxRounds: z.number().int().describe('model turns'), maxTokens: z.number().int().describe('prompt + completion tokens over the task'),
  maxCost: z.number().nullable().describe('USD; null = no cap'), maxMs: z.number().describe('wall time'),
});
export type AgentLimits = z.infer<typeof AgentLimitsSchema>;
export const AgentEndReasonSchema = z.enum(['done', 'checks-passed', 'checks-failed', 'limit', 'cancelled', 'error', 'refused']);
export type AgentEndReason = z.infer<typeof AgentEndReasonSchema>;
export const AgentFileActionSchema = z.enum(['created', 'edited', 'renamed', 'deleted']);
export type AgentFileAction = z.infer<typeof AgentFileActionSchema>;
export const AgentCheckSchema = z.object({ name: z.string(), command: z.string() });

export const PonderEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base, type: z.literal('request.start'),
    endpoint: z.string(), model: z.string(), provider: z.string().optional(),
    command: RequestCommandSchema.optional(),
    prompt: z.string().optional().describe('the user text, for the history list'),
    route: z.object({ rule: z.string(), reason: z.string() }).optional(),
    workspace: z.string().optional(),
    privateReasoning: z.boolean().optional().describe('the endpoint keeps its reasoning private (MAI on Foundry): no reasoning text will stream'),
    focus: z.object({
      path: z.string(), lines: z.tuple([z.number().int(), z.number().int()]), kind: z.enum(['selection', 'cursor']),
    }).optional().describe('the file and 1-based lines the request is about, quoted in the prompt'),
    effort: z.enum(['low', 'medium', 'high']).optional().describe('reasoning effort sent with this request'),
  }),
  z.object({
    ...base, type: z.literal('context.packed'),
    budget: z.number().int(), used: z.number().int(), window: z.number().int().optional(),
    items: z.array(ContextItemSchema), withheld: z.array(WithheldSchema).default([]),
    partial: z.boolean().default(false), ms: z.number().optional(),
  }),
  z.object({
    ...base, type: z.literal('prompt.meter'),
    window: z.number().int().describe("the model's context window"), outputReserve: z.number().int().describe('max output tokens kept free'),
    total: z.number().int().describe('prompt tokens sent'),
    parts: MeterPartsSchema,
    historyAll: z.number().int().describe('tokens of the whole earlier conversation, before trimming'),
    historyBudget: z.number().int().describe('ponder.chat.historyTokens'),
  }),
  z.object({ ...base, ...inStep, type: z.literal('reasoning.delta'), text: z.string() }),
  z.object({ ...base, ...inStep, type: z.literal('content.delta'), text: z.string() }),
  z.object({ ...base, ...inStep, type: z.literal('tool.call'), id: z.string(), name: z.string(), arguments: z.string() }),
  z.object({
    ...base, ...inStep, type: z.literal('tool.approval'), id: z.string(),
    state: z.enum(['asked', 'granted', 'denied']), by: z.enum(['user', 'policy', 'session']).optional(),
    detail: z.string().optional(),
  }),
  z.object({
    ...base, ...inStep, type: z.literal('tool.result'), id: z.string(), ok: z.boolean(),
    summary: z.string(), ms: z.number(), error: z.string().optional(),
  }),
  z.object({
    ...base, type: z.literal('retry'), attempt: z.number().int(), delayMs: z.number(), cause: z.string(),
  }),
  z.object({ ...base, type: z.literal('usage'), usage: UsageSchema }),
  z.object({
    ...base, type: z.literal('cost'),
    amount: z.number().nullable().describe('null when no price is known'), currency: z.literal('USD'),
    source: CostSourceSchema, breakdown: z.record(z.string(), z.number()).optional(), note: z.string().optional(),
  }),
  z.object({
    ...base, ...inStep, type: z.literal('error'), kind: ErrorKindSchema, message: z.string(),
    action: z.string().optional().describe('what to do, in words'), fix: FixActionSchema.optional(),
    status: z.number().int().optional(),
  }),
  z.object({
    ...base, type: z.literal('request.end'),
    finishReason: FinishReasonSchema,
    ms: z.number(), firstTokenMs: z.number().optional(),
    thinkingMs: z.number().optional().describe('from sending to the first answer token (content or tool call), summed over turns'),
    privateReasoning: z.boolean().optional().describe('the model reasoned but no reasoning text arrived: private on this endpoint'),
  }),
  z.object({
    ...base, ...inStep, type: z.literal('notice'), level: z.enum(['info', 'warning']), message: z.string(),
  }),
  // Agent mode: a task is one request (taskId = requestId) framed by request.start (command
  // 'agent') and request.end; these say what the agent did in between.
  z.object({
    ...base, type: z.literal('agent.task.start'), taskId: z.string(), task: z.string(),
    root: z.string().describe('absolute workspace folder the agent works in'), approve: AgentApproveSchema,
    limits: AgentLimitsSchema, checks: z.array(AgentCheckSchema), checkpoint: z.string().describe('checkpoint id (undo, review)'),
  }),
  z.object({ ...base, ...inStep, type: z.literal('agent.plan'), items: z.array(PlanItemSchema) }),
  z.object({
    ...base, type: z.literal('agent.step.start'), step: z.number().int().positive().describe('model turn, 1-based'),
  }).describe('a step begins: the endpoint answered its model turn; its events carry `step` until the next turn is prepared (a turn that never reached the endpoint is no step)'),
  z.object({
    ...base, type: z.literal('agent.step'), step: z.number().int().describe('model turn, 1-based'),
    usage: UsageSchema, cost: z.number().nullable(), ms: z.number(),
    totalTokens: z.number().int().describe('prompt + completion over the task so far'), totalCost: z.number().nullable(),
  }),
  z.object({
    ...base, ...inStep, type: z.literal('agent.file'), path: z.string().describe('relative to the root; posix'),
    action: AgentFileActionSchema, from: z.string().optional().describe('the old path of a rename'),
    diff: z.string(), added: z.number().int(), removed: z.number().int(),
  }),
  z.object({
    ...base, ...inStep, type: z.literal('agent.check'), name: z.string(), command: z.string(),
    state: z.enum(['running', 'passed', 'failed']), exitCode: z.number().int().nullable().optional(),
    output: z.string().optional().describe('trimmed: failures, first and last lines'), ms: z.number().optional(),
  }),
  z.object({
    ...base, type: z.literal('agent.condensed'), outputs: z.number().int().describe('tool outputs replaced by a note'),
    calls: z.array(z.string()).default([]).describe('ids of the tool calls whose output was condensed (their tool.call events stay in the trace)'),
    tokensBefore: z.number().int(), tokensAfter: z.number().int(), window: z.number().int(),
  }),
  z.object({
    ...base, type: z.literal('agent.decision'), taskId: z.string(), action: z.enum(['undo', 'keep']),
    paths: z.array(z.string()).describe('relative to the root; posix: the files this decision put back or kept'),
    remaining: z.number().int().nonnegative().describe('files of the task still to review or undo'),
  }).describe('after the task: the user undid or kept some or all of its changes (Undo Agent Changes, the review)'),
  z.object({
    ...base, type: z.literal('agent.task.end'), taskId: z.string(), reason: AgentEndReasonSchema,
    ok: z.boolean().describe('done or checks passed: the CLI exits 0'), message: z.string().describe('why it ended, in words'),
    limit: z.object({ kind: AgentLimitKindSchema, max: z.number(), used: z.number() }).optional(),
    rounds: z.number().int(), usage: UsageSchema, cost: z.number().nullable(), ms: z.number(),
    files: z.array(z.object({ path: z.string(), action: AgentFileActionSchema, from: z.string().optional() })),
    checkpoint: z.string(),
  }),
]);
export type PonderEvent = z.infer<typeof PonderEventSchema>;
export type PonderEventType = PonderEvent['type'];
export type EventOf<T extends PonderEventType> = Extract<PonderEvent, { type: T }>;
/** An event before the request id and time are stamped on it. */
export type EventBody<T extends PonderEventType = PonderEventType> = T extends PonderEventType
  ? Omit<EventOf<T>, 'requestId' | 't'>
  : never;

export type EventSink = (event: PonderEvent) => void;

/** Stamps events of one request and hands them to a sink. */
export class RequestEmitter {
  constructor(readonly requestId: string, private readonly sink: EventSink, private readonly now: () => number = Date.now) {}
  /** Returns the stamped event as its own type (an `error` body gives an `error` event). */
  emit<T extends PonderEventType>(body: EventBody<T> & { type: T }): EventOf<T> {
    const event = { ...body, requestId: this.requestId, t: this.now() } as unknown as EventOf<T>;
    this.sink(event);
    return event;
  }
}
