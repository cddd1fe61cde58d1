import { withEffort } from '../model/effort';
import { RoutingError } from '../routing/choose';
import { RequestRouter } from './router';
import { finishRequest } from './stages/account';
import { checkBudget, type Draft } from './stages/budget';
import { createRequestContext } from './stages/context';
import { buildMessages, emitMeter } from './stages/messages';
import { contextBudgetFor, emitPackNotices, emitPacked, packWorkspace } from './stages/pack';
import { preparePrompt } from './stages/prompt';
import { repack } from './stages/repack';
import { emitStart, refusal } from './stages/start';
import { offerTools } from './stages/tools';
import { runTurns } from './turns';
import type { RunRequestInput, RunResult } from './types';

/**
 * One request end to end, as a pipeline of stages (each in ./stages, or named below):
 *
 *  1. context     createRequestContext: request id, deps, emitter, start time
 *  2. tools       offerTools: the tools offered (their schemas take prompt room)
 *  3. prompt      preparePrompt: instructions, history, the selection; the fixed prompt's size
 *  4. route       new RequestRouter: the first endpoint choice (router.ts holds every later one)
 *  5. refuse      refusal: nothing is sent when the selection is bad or the fixed prompt cannot fit
 *  6. pack        packWorkspace for the profile's context budget; router.decide('packed') may
 *                 switch for prompt size (→ repack); then request.start and context.packed
 *  7. budget      checkBudget: over-budget fallbacks (router.decide('over-budget') → repack),
 *                 then ask / refuse / send smaller (→ repack)
 *  8. turns       runTurns: model turns and the tool loop; router.decide('error') falls back
 *  9. account     finishRequest: usage → cost → request.end → ledger
 *
 * Endpoint decisions are made only by the router; the context is packed again only by `repack`.
 * Never throws for model, tool or budget trouble: the error event says what happened and the
 * result keeps any partial answer.
 */
export async function runRequest(input: RunRequestInput): Promise<RunResult> {
  const ctx = createRequestContext(input);
  const { emitter, signal } = ctx;
  const tools = offerTools(ctx);
  const parts = await preparePrompt(ctx, tools);
  const budgetFor = contextBudgetFor(input.contextBudget, parts.fixedTokens);

  let router: RequestRouter;
  try {
    router = new RequestRouter(input.endpoint, input.command, parts.fixedTokens, budgetFor, input.reasoningEffort);
  } catch (err) {
    if (!(err instanceof RoutingError)) throw err;
    emitter.emit({ type: 'request.start', endpoint: 'none', model: 'none', command: input.command, prompt: input.prompt, workspace: input.workspace?.name });
    const error = emitter.emit({ type: 'error', kind: 'config', message: err.message, action: 'Fix "ponder.endpoints" / "ponder.routing" in settings.json, or pass --base-url and --model.' });
    return finishRequest(ctx, { finishReason: 'error', error: error });
  }

  // Only prompt-size rules need the packed size before the endpoint is final; otherwise say at once that the request started.
  if (!router.waitsForPromptSize) emitStart(ctx, router, parts);
  const refused = refusal(ctx, parts, router);
  if (refused) {
    if (router.waitsForPromptSize) emitStart(ctx, router, parts);
    return finishRequest(ctx, { finishReason: 'error', profile: router.profile, error: emitter.emit(refused) });
  }

  let pack = await packWorkspace(ctx, budgetFor(router.profile));
  const sized = router.decide({ on: 'packed', packedTokens: pack.packed?.used ?? 0 });
  if (sized.action === 'switch' && sized.repack) pack = await repack(ctx, pack, budgetFor(router.profile));
  if (router.waitsForPromptSize) emitStart(ctx, router, parts);
  emitPacked(ctx, pack.packed, router.profile);
  emitPackNotices(ctx, pack, router.profile, budgetFor(router.profile), parts.history);
  if (signal?.aborted) return finishRequest(ctx, { finishReason: 'cancelled', profile: router.profile });

  let draft: Draft = { pack, messages: buildMessages(ctx, parts, router.profile, pack.packed) };
  if (input.budget) {
    const outcome = await checkBudget(ctx, input.budget, router, parts, draft, budgetFor);
    if (outcome.action === 'cancelled') return finishRequest(ctx, { finishReason: 'cancelled', profile: router.profile });
    if (outcome.action === 'refused') return finishRequest(ctx, { finishReason: 'error', profile: router.profile, error: emitter.emit(outcome.error) });
    draft = outcome.draft;
  }

  const profile = withEffort(router.profile, input.reasoningEffort);
  emitMeter(ctx, parts, profile, draft.messages);
  const turns = await runTurns({
    emitter, streamTurn: ctx.deps.streamTurn, profile, apiKey: await input.getApiKey(profile.id), getApiKey: input.getApiKey,
    messages: draft.messages, runner: tools.runner, maxRounds: input.tools?.maxRounds ?? 8, toolsSupported: input.tools?.supported !== false, toolRefusals: input.tools?.refusals, endpointMemory: input.endpointMemory,
    router, signal, startedAt: ctx.startedAt, now: ctx.deps.now, keepReasoning: input.keepReasoning || !!input.history?.length,
  });
  return finishRequest(ctx, {
    finishReason: turns.finishReason, profile: turns.profile, error: turns.error,
    answer: turns.contents.filter(Boolean).join('\n\n'), reasoning: turns.reasoning, turns,
  });
}
