import { randomUUID } from 'node:crypto';
import type { PackedContext } from '../context/types';
import { costOfRequest } from '../cost/pricing';
import { preflightBudget } from '../cost/preflight';
import { ledgerEntryFromEvents } from '../cost/fromEvents';
import { RequestEmitter, type EventOf, type PonderEvent } from '../events';
import { silentLogger } from '../log';
import type { ChatMessage, ResolvedProfile } from '../model/types';
import { instructionItems, renderInstructionFiles } from '../instructions/render';
import { effortControl, withEffort } from '../model/effort';
import { chooseEndpoint, nextFallback, RoutingError, type Route } from '../routing/choose';
import { ApprovalPolicy } from '../tools/approval';
import { selectTools } from '../tools/registry';
import { ToolRunner } from '../tools/runner';
import { createExcludeRule } from '../tools/walk';
import { defaultRunDeps } from './deps';
import { fitHistory, opaqueTokens, renderContext, systemInstructions, userMessage } from './messages';
import { displayPathOf, focusHeadline, renderFocus, resolveFocus, SelectionError, type Focus } from './selection';
import { meterTotal } from './meter';
import { runTurns } from './turns';
import type { RunDeps, RunRequestInput, RunResult } from './types';

/** Tokens kept free beyond the output reserve: message framing the tokenizer does not see. */
const FRAMING_MARGIN = 64;

/**
 * One request end to end, as events: request.start → context.packed → (budget check) → model
 * turns with the tool loop → usage → cost → request.end. Never throws for model, tool or budget
 * trouble: the error event says what happened and the result keeps any partial answer.
 */
export async function runRequest(input: RunRequestInput): Promise<RunResult> {
  const deps: RunDeps = { ...defaultRunDeps, ...input.deps };
  const log = input.logger ?? silentLogger;
  const requestId = input.requestId ?? randomUUID();
  const events: PonderEvent[] = [];
  const emitter = new RequestEmitter(requestId, (e) => {
    events.push(e);
    try { input.onEvent?.(e); } catch (err) { log.error(`event sink failed on ${e.type}: ${String(err)}`); }
  }, deps.now);
  const startedAt = deps.now();
  const count = deps.toolDeps.countTokens;
  const signal = input.signal;

  // Tools first: their schemas take room in the prompt.
  const toolsCfg = input.tools;
  const offered = toolsCfg ? [
    ...selectTools(toolsCfg.enabled, toolsCfg.host, toolsCfg.tools),
    ...(toolsCfg.enabled !== 'none' && toolsCfg.host.trusted ? toolsCfg.external ?? [] : []),
  ] : [];
  const toolDeps = { ...deps.toolDeps, isExcluded: createExcludeRule(toolsCfg?.exclude ?? input.workspace?.exclude ?? []) };
  const runner = toolsCfg && offered.length ? new ToolRunner({
    tools: offered, host: toolsCfg.host, deps: toolDeps, emitter, signal,
    maxOutputTokens: toolsCfg.maxOutputTokens ?? 24000,
    approval: new ApprovalPolicy({ trusted: toolsCfg.host.trusted, autoApprove: toolsCfg.autoApprove, session: toolsCfg.session, port: toolsCfg.approval }),
  }) : undefined;
  const toolTokens = runner ? count(JSON.stringify(runner.specs())) : 0;

  const repoInstructions = renderInstructionFiles(input.instructionFiles ?? []);
  const instructions = systemInstructions({ command: input.command, instructions: input.instructions, toolsOffered: !!runner, repoInstructions });
  const history = fitHistory(input.history ?? [], input.historyTokens ?? 8000, count);
  // The selection (or cursor and its symbol) is quoted whatever the packer does: it is part of the prompt.
  let focus: Focus | undefined;
  let focusError: string | undefined;
  const w0 = input.workspace;
  if (w0?.activeFile && (w0.selection || w0.cursor !== undefined)) {
    try {
      focus = await resolveFocus(w0.port, w0.activeFile, w0.selection, w0.selection ? undefined : w0.cursor);
    } catch (err) {
      if (!(err instanceof SelectionError)) throw err;
      focusError = err.message;
    }
  }
  const focusTokens = focus ? count(renderFocus(focus)) + count(focusHeadline(focus)) + 40 : 0;
  const fixedTokens = count(instructions) + history.tokens + count(input.prompt) + toolTokens + focusTokens + FRAMING_MARGIN;

  // Routing: a first choice sets the window to pack for; the packed prompt's size may then pick another.
  let route: Route<ResolvedProfile> | undefined;
  let profile: ResolvedProfile;
  const choice = input.endpoint;
  try {
    if ('profile' in choice) {
      profile = choice.profile;
    } else {
      route = chooseEndpoint({ ...choice, command: input.command, promptTokens: fixedTokens });
      profile = route.profile;
    }
  } catch (err) {
    if (!(err instanceof RoutingError)) throw err;
    emitter.emit({ type: 'request.start', endpoint: 'none', model: 'none', command: input.command, prompt: input.prompt, workspace: input.workspace?.name });
    return finish({ finishReason: 'error', error: emitter.emit({ type: 'error', kind: 'config', message: err.message, action: 'Fix "ponder.endpoints" / "ponder.routing" in settings.json, or pass --base-url and --model.' }) as EventOf<'error'> });
  }

  // The caller's budget wins, but never past what the window holds after the output reserve and the prompt.
  const budgetFor = (p: ResolvedProfile) => {
    const fits = Math.max(0, p.contextWindow - p.maxOutputTokens - fixedTokens);
    return input.contextBudget && input.contextBudget > 0 ? Math.min(input.contextBudget, fits) : fits;
  };
  const focusView = focus ? { path: focus.path, lines: focus.lines, kind: focus.kind } : undefined;
  // The user's pick for this request where the endpoint takes one; else what its profile sets.
  const effortOf = (p: ResolvedProfile) => (effortControl(p) ? withEffort(p, input.reasoningEffort).reasoningEffort : undefined);
  const emitStart = () => emitter.emit({
    type: 'request.start', endpoint: profile.id, model: profile.model ?? 'server default', provider: profile.provider,
    command: input.command, prompt: input.prompt, workspace: input.workspace?.name,
    route: route ? { rule: route.rule, reason: route.reason } : 'profile' in choice ? choice.route : undefined,
    ...(profile.privateReasoning ? { privateReasoning: true } : {}),
    ...(focusView ? { focus: focusView } : {}),
    ...(effortOf(profile) ? { effort: effortOf(profile) } : {}),
  });
  // Only prompt-size rules need the packed size before the endpoint is final; otherwise say at once that the request started.
  const sizeRouting = !('profile' in choice) && !choice.override && choice.rules.some((r) => 'when' in r && r.when.promptTokensOver !== undefined);
  if (!sizeRouting) emitStart();
  if (focusError) {
    if (sizeRouting) emitStart();
    const file = w0?.activeFile ? displayPathOf(w0.port, w0.activeFile) : undefined;
    return finish({
      finishReason: 'error',
      error: emitter.emit({
        type: 'error', kind: 'config', message: `Not sent: ${focusError}.`,
        action: 'Select lines inside the file (or reopen it if it changed on disk) and run the command again.',
        ...(file ? { fix: { title: `Open ${file}`, command: 'workbench.action.quickOpen', args: [file] } } : {}),
      }) as EventOf<'error'>,
    });
  }
  // Not even the instructions, the question and the selection fit next to the output reserve: say so, send nothing.
  if (fixedTokens > profile.contextWindow - profile.maxOutputTokens) {
    if (sizeRouting) emitStart();
    const what = focus ? `the ${focus.kind === 'selection' ? 'selection' : 'code around the cursor'} (${focus.path} ${focus.lines[0]}-${focus.lines[1]}, about ${focusTokens} tokens) with the instructions and question` : 'the instructions, history and question';
    const n = (x: number) => x.toLocaleString('en-US');
    return finish({
      finishReason: 'error',
      error: emitter.emit({
        type: 'error', kind: 'context-length',
        message: `Not sent: ${what} need about ${n(fixedTokens)} tokens, but ${profile.model ?? profile.id} has a ${n(profile.contextWindow)}-token window with ${n(profile.maxOutputTokens)} kept for the answer (${n(Math.max(0, profile.contextWindow - profile.maxOutputTokens))} left for the prompt).`,
        action: focus?.kind === 'selection' ? 'Select fewer lines, or use an endpoint with a larger context window.' : 'Ask a shorter question, start a new chat, or use an endpoint with a larger context window.',
      }) as EventOf<'error'>,
    });
  }
  let packed: PackedContext | undefined;
  let packError: string | undefined;
  const pack = async (budget: number): Promise<void> => {
    if (!input.workspace || budget <= 0) return;
    const w = input.workspace;
    try {
      packed = await deps.packContext({
        query: input.prompt, activeFile: w.activeFile, selection: w.selection, openFiles: w.openFiles, budget,
        exclude: w.exclude, maxFileSizeKB: w.maxFileSizeKB, repoMap: w.repoMap, timeLimitMs: w.timeLimitMs, signal,
      }, w.port, w.packOptions);
    } catch (err) {
      if (signal?.aborted) return;
      packError = err instanceof Error ? err.message : String(err);
      log.warn(`context packing failed: ${packError}`);
    }
  };
  await pack(budgetFor(profile));
  if (sizeRouting && route && !('profile' in choice) && packed && packed.used > 0) {
    const again = chooseEndpoint({ ...choice, command: input.command, promptTokens: fixedTokens + packed.used });
    if (again.profile.id !== profile.id) {
      route = again;
      profile = again.profile;
      if (packed.used > budgetFor(profile)) await pack(budgetFor(profile));
    }
  }

  if (sizeRouting) emitStart();
  // Instruction files are listed with the context (their tokens are in the fixed part, not the context budget).
  const instructionList = instructionItems(input.instructionFiles ?? [], count);
  const emitPacked = () => {
    if (!packed && !instructionList.length) return;
    emitter.emit({
      type: 'context.packed', budget: packed?.budget ?? 0, used: packed?.used ?? 0, window: profile.contextWindow,
      items: [...instructionList, ...(packed?.items ?? []).map(({ text: _t, ...item }) => item)],
      withheld: packed?.withheld ?? [], partial: packed?.partial ?? false, ms: packed?.ms,
    });
  };
  emitPacked();
  if (!packed && input.workspace && budgetFor(profile) <= 0) {
    emitter.emit({ type: 'notice', level: 'warning', message: `No repository context was packed: the ${profile.contextWindow.toLocaleString('en-US')}-token window of ${profile.model ?? profile.id} is used by the output reserve (${profile.maxOutputTokens.toLocaleString('en-US')}) and the prompt itself.` });
  }
  if (packError) emitter.emit({ type: 'notice', level: 'warning', message: `Repository context could not be gathered (${packError}); answering without it.` });
  if (history.dropped) emitter.emit({ type: 'notice', level: 'info', message: `${history.dropped} earlier turn${history.dropped === 1 ? ' was' : 's were'} dropped to stay within ponder.chat.historyTokens (${input.historyTokens ?? 8000}).` });
  if (history.summarized) emitter.emit({ type: 'notice', level: 'info', message: `${history.summarized} earlier turn${history.summarized === 1 ? ' was' : 's were'} summarized to stay within ponder.chat.historyTokens (${input.historyTokens ?? 8000}).` });
  if (signal?.aborted) return finish({ finishReason: 'cancelled' });

  const build = (): ChatMessage[] => [
    { role: profile.developerRole, content: instructions },
    ...history.messages,
    { role: 'user', content: userMessage(input.prompt, renderContext(packed?.items ?? [], undefined, focus), focus) },
  ];
  let messages = build();

  if (input.budget) {
    const promptTokensOf = () => messages.reduce((n, m) => n + count(typeof m.content === 'string' ? m.content : '') + (m.role === 'assistant' ? opaqueTokens(m.reasoningState?.value) : 0), 0) + toolTokens;
    // Over budget here but routing names fallbacks: try them (a cheaper or self-hosted profile) before asking.
    const tried = new Set<string>();
    while (route) {
      const quiet = await preflightBudget({
        promptTokens: promptTokensOf(), maxOutputTokens: profile.maxOutputTokens, pricing: profile.pricing, endpoint: profile.id,
        ledger: input.budget.ledger, budget: input.budget.budget,
      });
      if (quiet.action === 'send') break;
      const step = nextFallback(route, profile.id, 'over-budget', { tried });
      if (!step) break;
      tried.add(profile.id);
      emitter.emit({ type: 'notice', level: 'info', message: `fallback: ${step.reason}` });
      profile = step.profile;
      if ((packed?.used ?? 0) > budgetFor(profile)) {
        await pack(budgetFor(profile));
        emitPacked();
      }
      messages = build();
    }
    const promptTokens = promptTokensOf();
    const pre = await preflightBudget({
      promptTokens, maxOutputTokens: profile.maxOutputTokens, pricing: profile.pricing, endpoint: profile.id,
      ledger: input.budget.ledger, budget: input.budget.budget, ask: input.budget.confirm,
    });
    if (pre.action === 'cancel') {
      if (pre.by === 'user') {
        emitter.emit({ type: 'notice', level: 'info', message: `Not sent: ${pre.message}` });
        return finish({ finishReason: 'cancelled' });
      }
      return finish({ finishReason: 'error', error: emitter.emit({ type: 'error', kind: 'budget', message: pre.message, action: 'Raise the budget in settings (ponder.budget.*), ask a smaller question, or wait for the next period.' }) as EventOf<'error'> });
    }
    if (pre.action === 'send-smaller') {
      const contextBudget = pre.promptTokens - (promptTokens - (packed?.used ?? 0));
      await pack(Math.max(0, contextBudget));
      if (contextBudget <= 0) packed = undefined;
      emitter.emit({ type: 'notice', level: 'info', message: `Context repacked to ${packed?.used ?? 0} tokens so the request fits the budget.` });
      emitPacked();
      messages = build();
    } else {
      for (const w of pre.warnings) emitter.emit({ type: 'notice', level: 'warning', message: w.message });
    }
  }

  profile = withEffort(profile, input.reasoningEffort);
  emitMeter();
  const apiKey = await input.getApiKey(profile.id);
  const turns = await runTurns({
    emitter, streamTurn: deps.streamTurn, profile, apiKey, getApiKey: input.getApiKey, messages, runner,
    maxRounds: toolsCfg?.maxRounds ?? 8, toolsSupported: toolsCfg?.supported !== false, route, signal, startedAt, now: deps.now,
    keepReasoning: input.keepReasoning || !!input.history?.length,
  });
  profile = turns.profile;
  return finish({ finishReason: turns.finishReason, error: turns.error, answer: turns.contents.filter(Boolean).join('\n\n'), reasoning: turns.reasoning, turns });

  /** The context meter: where the prompt's tokens go, against the window and the output reserve. */
  function emitMeter(): void {
    const userTokens = count(String(messages[messages.length - 1].content ?? ''));
    const promptTokens = count(input.prompt);
    const repoTokens = repoInstructions ? count(repoInstructions) : 0;
    const parts = {
      instructions: Math.max(0, count(instructions) - repoTokens), repoInstructions: repoTokens, history: history.tokens, tools: toolTokens,
      context: Math.max(0, userTokens - promptTokens), prompt: promptTokens + FRAMING_MARGIN,
    };
    emitter.emit({
      type: 'prompt.meter', window: profile.contextWindow, outputReserve: profile.maxOutputTokens, total: meterTotal(parts), parts,
      historyAll: (input.history ?? []).reduce((n, t) => n + count(t.content) + 4, 0), historyBudget: input.historyTokens ?? 8000,
    });
  }

  /** usage → cost → request.end, then the ledger; shared by every way out. */
  async function finish(end: { finishReason: string; error?: EventOf<'error'>; answer?: string; reasoning?: string; turns?: Awaited<ReturnType<typeof runTurns>> }): Promise<RunResult> {
    const usage = end.turns?.usage ?? { prompt: 0, cached: 0, completion: 0, reasoning: 0, cacheWrite: 0 };
    const ms = Math.max(0, deps.now() - startedAt);
    // A request that never reached a server (refused, unknown host, untrusted certificate) cost
    // nothing: no usage, no cost, no ledger line, and it says so.
    const unsent = !!end.turns && neverConnected(end.error, usage, end.answer ?? '', end.reasoning ?? '');
    const sent = !!end.turns && !unsent;
    if (unsent) emitter.emit({ type: 'notice', level: 'info', message: `Nothing reached ${profile.baseUrl}, so nothing was billed.` });
    if (sent) emitter.emit({ type: 'usage', usage });
    const cost = costOfRequest({
      usage, providerCost: end.turns?.providerCost, pricing: profile?.pricing, durationMs: sent ? ms : 0, endpoint: profile?.id,
      partial: end.finishReason === 'cancelled' ? 'cancelled' : end.finishReason === 'error' ? 'failed' : undefined,
    });
    if (sent) emitter.emit({ type: 'cost', amount: cost.amount, currency: 'USD', source: cost.source, breakdown: cost.breakdown, note: cost.note });
    // Reasoning that happened but was not shown (MAI on Foundry, or reasoning tokens with no text) is said, not left blank.
    const privateReasoning = sent && !end.reasoning && (usage.reasoning > 0 || (profile.privateReasoning && !!end.answer));
    emitter.emit({
      type: 'request.end', finishReason: end.finishReason, ms, ...(end.turns?.firstTokenMs !== undefined ? { firstTokenMs: end.turns.firstTokenMs } : {}),
      ...(end.turns?.thinkingMs !== undefined ? { thinkingMs: end.turns.thinkingMs } : {}), ...(privateReasoning ? { privateReasoning: true } : {}),
    });
    if (input.recordTo && sent) {
      try {
        const entry = ledgerEntryFromEvents(events, { sessionId: input.recordTo.sessionId, workspace: input.workspace?.name });
        if (entry) await input.recordTo.ledger.append(entry);
      } catch (err) {
        log.warn(`could not record the request in the ledger ${input.recordTo.ledger.file}: ${String(err)}`);
      }
    }
    return {
      requestId, answer: end.answer ?? '', reasoning: end.reasoning ?? '', finishReason: end.finishReason,
      ...(end.turns?.reasoningState && !end.error ? { reasoningState: end.turns.reasoningState } : {}),
      profile, usage, cost, error: end.error, events,
    };
  }
}

/** The connection failed before any HTTP exchange: the request was never delivered, so it cannot have been billed. */
function neverConnected(error: EventOf<'error'> | undefined, usage: { prompt: number; completion: number }, answer: string, reasoning: string): boolean {
  if (!error || error.kind !== 'connection' || error.status !== undefined) return false;
  if (usage.prompt + usage.completion > 0 || answer || reasoning) return false;
  return /connection refused|could not be found|certificate .*not trusted/i.test(error.message);
}
