import type { EventBody, EventOf, FinishReason, Usage } from '../events';
import type { ChatMessage, ModelEvent, ProviderCost, ReasoningState, ResolvedProfile, StreamTurnRequest, TurnResult } from '../model/types';
import { EndpointMemory } from '../model/endpointMemory';
import type { RequestEmitter } from '../events';
import type { ToolRunner } from '../tools/runner';
import type { RequestRouter } from './router';
import { ToolRefusals } from './toolRefusals';

/**
 * The model turns of one request and the tool loop between them. A turn that asks for tools
 * gets them run (ToolRunner) and their results sent back; the loop ends at a plain answer, at
 * the round limit, when the runner says stop (repeats, output budget), or on an error. Before
 * any output, a 400 about tools means "answer without them", and a rate limit or a down server
 * moves to the profile the router names (its `error` decision).
 */

export interface TurnsInput {
  emitter: RequestEmitter;
  streamTurn(req: StreamTurnRequest): Promise<TurnResult>;
  profile: ResolvedProfile;
  apiKey: string | undefined;
  getApiKey(profileId: string): Promise<string | undefined>;
  messages: ChatMessage[];
  runner?: ToolRunner;
  maxRounds: number;
  /** Endpoint support for tools is known to be off (profile flag). */
  toolsSupported: boolean;
  /** Endpoints seen to reject tools, kept by the composition root across requests; absent = this request's own. */
  toolRefusals?: ToolRefusals;
  /** Parameters endpoints rejected and the models servers list, kept across requests; absent = this request's own. */
  endpointMemory?: EndpointMemory;
  /** Decides where a turn that failed before any output goes next; absent = no fallback. */
  router?: Pick<RequestRouter, 'decide'>;
  signal?: AbortSignal;
  /** The conversation goes on after this request (a chat): keep opaque reasoning state to send back. */
  keepReasoning?: boolean;
  /** ms since epoch when the request started: firstTokenMs is measured from it. */
  startedAt: number;
  now(): number;
  /**
   * Called before every model turn (the first included) with the conversation about to be sent
   * and what the turns so far used: an agent loop checks its cost cap here, or condenses old
   * tool output. Return `messages` to send those instead, or `stop` to end the loop now (the
   * error, if any, is emitted and becomes the result's error).
   */
  beforeTurn?(turn: BeforeTurn): TurnGate | undefined | Promise<TurnGate | undefined>;
}

export interface BeforeTurn {
  /** 0 for the first turn. */
  index: number;
  profile: ResolvedProfile;
  messages: readonly ChatMessage[];
  usage: Usage;
  providerCost?: ProviderCost;
  rounds: number;
}

export interface TurnGate {
  messages?: ChatMessage[];
  stop?: { finishReason: FinishReason; error?: EventBody<'error'> };
}

export interface TurnsOutput {
  profile: ResolvedProfile;
  contents: string[];
  reasoning: string;
  finishReason: FinishReason;
  usage: Usage;
  usageReported: boolean;
  providerCost?: ProviderCost;
  firstTokenMs?: number;
  /** Summed over turns: from sending each turn to its first answer byte (content or tool call). */
  thinkingMs?: number;
  /** The final turn's opaque reasoning state (never in an event), for the next chat turn. */
  reasoningState?: ReasoningState;
  error?: EventOf<'error'>;
  rounds: number;
}

const TOOL_ERROR = /tool|function[ _-]?call/i;

function addUsage(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  return { prompt: a.prompt + b.prompt, cached: a.cached + b.cached, completion: a.completion + b.completion, reasoning: a.reasoning + b.reasoning, cacheWrite: a.cacheWrite + b.cacheWrite };
}

export async function runTurns(input: TurnsInput): Promise<TurnsOutput> {
  const { emitter, runner, signal } = input;
  let profile = input.profile;
  let apiKey = input.apiKey;
  const messages = [...input.messages];
  const out: TurnsOutput = { profile, contents: [], reasoning: '', finishReason: 'stop', usage: { prompt: 0, cached: 0, completion: 0, reasoning: 0, cacheWrite: 0 }, usageReported: false, rounds: 0 };
  const providerCosts: (ProviderCost | undefined)[] = [];
  const refusals = input.toolRefusals ?? new ToolRefusals();
  const memory = input.endpointMemory ?? new EndpointMemory();
  let offer = !!runner && runner.tools.length > 0;
  if (offer && (!input.toolsSupported || refusals.has(profile))) {
    offer = false;
    emitter.emit({ type: 'notice', level: 'info', message: `Endpoint "${profile.id}" does not support tools (function calling): answering without them.` });
  }
  let outputShown = false;
  // A notice the client repeats each turn (an unsupported setting) is said once per request.
  const noticesSaid = new Set<string>();

  for (let index = 0; ; index++) {
    const gate = await input.beforeTurn?.({ index, profile, messages, usage: out.usage, providerCost: sumProviderCosts(providerCosts), rounds: out.rounds });
    if (gate?.stop) {
      out.finishReason = gate.stop.finishReason;
      if (gate.stop.error) out.error = emitter.emit(gate.stop.error);
      break;
    }
    if (gate?.messages) messages.splice(0, messages.length, ...gate.messages);
    // Errors wait until the turn's fate is known: a 400 about tools or a fallback hides them.
    const held: EventBody<'error'>[] = [];
    const release = (): EventOf<'error'> | undefined => {
      let last: EventOf<'error'> | undefined;
      for (const e of held.splice(0)) last = emitter.emit(e);
      return last;
    };
    const announced = new Set<string>();
    let turnOutput = false;
    const emit = (e: ModelEvent): void => {
      if (e.type === 'usage') return; // summed over turns and emitted once at the end
      if (e.type === 'error') { held.push(e); return; }
      if (e.type === 'notice') { if (noticesSaid.has(e.message)) return; noticesSaid.add(e.message); }
      if (e.type === 'tool.call') announced.add(e.id);
      if (e.type === 'content.delta' || e.type === 'reasoning.delta' || e.type === 'tool.call') turnOutput = true;
      emitter.emit(e);
    };
    const sentAt = input.now();
    const result = await input.streamTurn({ profile, apiKey, messages, tools: offer && runner ? runner.specs() : undefined, signal, emit, keepReasoning: offer || !!input.keepReasoning, memory });
    out.usage = addUsage(out.usage, result.usage);
    if (result.usage) out.usageReported = true;
    providerCosts.push(result.providerCost);
    if (out.firstTokenMs === undefined && result.firstTokenMs !== undefined) out.firstTokenMs = Math.round(sentAt - input.startedAt + result.firstTokenMs);
    if (result.firstAnswerMs !== undefined) out.thinkingMs = Math.round((out.thinkingMs ?? 0) + result.firstAnswerMs);
    out.reasoningState = result.reasoningState;

    if (result.error && result.finishReason !== 'cancelled') {
      const err = result.error;
      const nothingYet = !turnOutput && !outputShown;
      if (offer && nothingYet && err.status === 400 && TOOL_ERROR.test(err.message)) {
        refusals.add(profile);
        offer = false;
        emitter.emit({ type: 'notice', level: 'info', message: `Endpoint "${profile.id}" does not support tools (function calling): ${err.message} Answering without them.` });
        continue;
      }
      const next = nothingYet && input.router ? input.router.decide({ on: 'error', kind: err.kind, status: err.status }) : undefined;
      if (next?.action === 'switch') {
        if (next.notice) emitter.emit({ type: 'notice', ...next.notice });
        profile = next.profile;
        apiKey = await input.getApiKey(profile.id);
        out.profile = profile;
        if (offer && refusals.has(profile)) {
          offer = false;
          emitter.emit({ type: 'notice', level: 'info', message: `Endpoint "${profile.id}" does not support tools (function calling): answering without them.` });
        }
        continue;
      }
      out.error = release() ?? emitter.emit({ type: 'error', kind: err.kind, message: err.message, action: err.action, fix: err.fix, status: err.status });
      out.contents.push(result.content);
      out.reasoning += result.reasoning;
      out.finishReason = result.finishReason === 'content_filter' ? 'content_filter' : 'error';
      break;
    }
    release();
    outputShown ||= turnOutput;
    out.contents.push(result.content);
    out.reasoning += result.reasoning;
    if (result.finishReason === 'cancelled' || signal?.aborted) { out.finishReason = 'cancelled'; break; }

    if (!(offer && runner && result.toolCalls.length > 0)) {
      out.finishReason = result.finishReason === 'tool_calls' ? 'stop' : result.finishReason;
      break;
    }

    // A tool round: the assistant's turn (with its reasoning, for dialects that want it back), then one result per call.
    messages.push({
      role: 'assistant', content: result.content || null,
      tool_calls: result.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
      reasoning: result.reasoning || undefined, reasoningDetails: result.reasoningDetails,
      // Opaque reasoning goes back unchanged on this assistant message (only to the endpoint it came from).
      ...(result.reasoningState ? { reasoningState: result.reasoningState } : {}),
    });
    const round = await runner.runRound(result.toolCalls, announced);
    for (const r of round.results) messages.push({ role: 'tool', tool_call_id: r.call.id, content: r.content });
    out.rounds++;
    if (round.stop === 'cancelled' || signal?.aborted) { out.finishReason = 'cancelled'; break; }
    const why = round.stop === 'repeat'
      ? 'the model repeated the same tool call'
      : round.stop === 'output-budget'
        ? `tool output reached this request's budget (${runner.outputTokensUsed} tokens, ponder.tools.maxOutputTokens)`
        : out.rounds >= input.maxRounds ? `the limit of ${input.maxRounds} tool rounds (ponder.tools.maxRounds) was reached` : undefined;
    if (why) {
      offer = false;
      emitter.emit({ type: 'notice', level: 'warning', message: `Tools stopped: ${why}. Asking the model to answer with what it has.` });
      messages.push({ role: 'user', content: `(Ponder: no more tool calls in this request, because ${why}. Answer now from what you have; do not call tools.)` });
    }
  }

  const providerCost = sumProviderCosts(providerCosts);
  if (providerCost) out.providerCost = providerCost;
  return out;
}

/** The provider's cost over the turns, when every turn that answered reported one. */
function sumProviderCosts(providerCosts: readonly (ProviderCost | undefined)[]): ProviderCost | undefined {
  const reported = providerCosts.filter((c): c is ProviderCost => !!c && (c.cost !== undefined || c.upstreamCost !== undefined));
  if (!reported.length || reported.length !== providerCosts.filter(Boolean).length) return undefined;
  return {
    cost: reported.reduce((a, c) => a + (c.cost ?? 0), 0),
    upstreamCost: reported.some((c) => c.upstreamCost !== undefined) ? reported.reduce((a, c) => a + (c.upstreamCost ?? 0), 0) : undefined,
    isByok: reported.some((c) => c.isByok) || undefined,
  };
}
