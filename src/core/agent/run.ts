import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { formatUsd, roundUsd } from '../cost/pricing';
import type { AgentEndReason, AgentLimitKind, EventOf, Usage } from '../events';
import { renderInstructionFiles } from '../instructions/render';
import { withEffort } from '../model/effort';
import type { ChatMessage, ProviderCost } from '../model/types';
import { RoutingError } from '../routing/choose';
import { renderContext } from '../run/messages';
import { RequestRouter } from '../run/router';
import { costOfTurns, finishRequest } from '../run/stages/account';
import { createRequestContext } from '../run/stages/context';
import { contextBudgetFor, emitPacked, packWorkspace } from '../run/stages/pack';
import type { PromptParts } from '../run/stages/prompt';
import { emitStart } from '../run/stages/start';
import { runTurns, type BeforeTurn, type TurnGate, type TurnsOutput } from '../run/turns';
import type { RunRequestInput } from '../run/types';
import { scopedTo } from '../editor/scoped';
import { ApprovalPolicy } from '../tools/approval';
import { findSymbolTool, getDiagnosticsTool, gitDiffTool } from '../tools/codeTools';
import { listFilesTool, readFileTool, searchTextTool } from '../tools/readTools';
import { ToolSession, type ToolDefinition } from '../tools/types';
import { createExcludeRule } from '../tools/walk';
import { Checkpoint } from './checkpoint';
import { condense, MessageMeter } from './condense';
import { fileTools } from './fileTools';
import { agentInstructions, taskMessage, topLevel } from './prompt';
import type { AgentSession } from './session';
import { TaskBudget } from './budget';
import { StepTracker } from './steps';
import { AgentToolRunner } from './toolRunner';
import { DEFAULT_LIMITS, type AgentInput, type AgentResult } from './types';
import { checkTool, commandTool, planTool, runOneCheck } from './workTools';
import type { EditorPort } from '../editor/port';

const ZERO: Usage = { prompt: 0, cached: 0, completion: 0, reasoning: 0, cacheWrite: 0 };
/** Tokens kept free beyond the output reserve for message framing. */
const FRAMING = 256;
const DEFAULT_CONTEXT = 6000;

const addUsage = (a: Usage, b: Usage): Usage => ({ prompt: a.prompt + b.prompt, cached: a.cached + b.cached, completion: a.completion + b.completion, reasoning: a.reasoning + b.reasoning, cacheWrite: a.cacheWrite + b.cacheWrite });
const subUsage = (a: Usage, b: Usage): Usage => ({ prompt: a.prompt - b.prompt, cached: a.cached - b.cached, completion: a.completion - b.completion, reasoning: a.reasoning - b.reasoning, cacheWrite: a.cacheWrite - b.cacheWrite });
function subCost(a: ProviderCost | undefined, b: ProviderCost | undefined): ProviderCost | undefined {
  if (!a) return undefined;
  return { cost: (a.cost ?? 0) - (b?.cost ?? 0), ...(a.upstreamCost !== undefined ? { upstreamCost: a.upstreamCost - (b?.upstreamCost ?? 0) } : {}), isByok: a.isByok };
}
function addCost(a: ProviderCost | undefined, b: ProviderCost | undefined): ProviderCost | undefined {
  if (!a || !b) return a ?? b;
  return { cost: (a.cost ?? 0) + (b.cost ?? 0), ...(a.upstreamCost !== undefined || b.upstreamCost !== undefined ? { upstreamCost: (a.upstreamCost ?? 0) + (b.upstreamCost ?? 0) } : {}), isByok: a.isByok || b.isByok };
}

interface Ending { reason: AgentEndReason; message: string; limit?: { kind: AgentLimitKind; max: number; used: number }; error?: EventOf<'error'> }

/**
 * One agent task end to end, on the request pipeline's stages: the context (ids, deps,
 * emitter), the router (the endpoint and every fallback), request.start, the first context
 * pack, then runTurns for the model turns and the agent's tool rounds, and finishRequest for
 * usage → cost → request.end → ledger. A step starts when the endpoint answers a turn and its
 * events say so (steps.ts). Between the turns (runTurns' beforeTurn) the agent
 * reports each step's tokens and cost, checks its limits (rounds, tokens, cost, wall time)
 * BEFORE the next turn is sent, and condenses old tool output near the window. When the model
 * stops, Ponder runs the checks itself if files changed since they last passed. Never throws
 * for model, tool or limit trouble: agent.task.end says how and why it ended.
 */
export async function runAgent(input: AgentInput): Promise<AgentResult> {
  const given = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(input.limits ?? {}).filter(([, v]) => v !== undefined)) };
  // A cap of $0 means none (as the setting's empty value), not "stop before the first turn".
  const limits = { ...given, maxCost: given.maxCost === 0 ? null : given.maxCost };
  const approve = input.approve ?? 'commands';
  const checks = input.checks ?? [];
  const root = path.resolve(input.root);

  // The user's cancel and the wall-time limit both stop whatever runs (model stream, command).
  const ctl = new AbortController();
  let timeUp = false;
  const onAbort = () => ctl.abort();
  input.signal?.addEventListener('abort', onAbort, { once: true });
  if (input.signal?.aborted) ctl.abort();
  const signal = ctl.signal;

  const runInput: RunRequestInput = {
    requestId: input.taskId, command: 'agent', prompt: input.task, endpoint: input.endpoint, getApiKey: input.getApiKey,
    workspace: input.workspace, instructionFiles: input.instructionFiles, recordTo: input.recordTo, reasoningEffort: input.reasoningEffort,
    signal, onEvent: input.onEvent, logger: input.logger, deps: input.deps,
  };
  // Every event of a step says which step it belongs to (steps.ts).
  const steps = new StepTracker();
  const ctx = createRequestContext(runInput, (e) => steps.stamp(e));
  const { emitter, deps } = ctx;
  steps.attach(emitter);
  const now = deps.now;
  const taskId = ctx.requestId;
  const timer = setTimeout(() => { timeUp = true; ctl.abort(); }, Math.max(0, limits.maxMs));

  let checkpoint: Checkpoint | undefined;
  let session: AgentSession | undefined;
  let router: RequestRouter | undefined;
  /** Totals over every runTurns call of the task. */
  let total: TurnsOutput | undefined;
  const stepCosts: (number | null)[] = [];
  let answer = '';

  try {
    const toolDeps = { ...deps.toolDeps, isExcluded: createExcludeRule(input.exclude ?? input.workspace?.exclude ?? []) };
    const instructions = agentInstructions({ repoInstructions: renderInstructionFiles(input.instructionFiles ?? []) });
    // The fixed prompt, sized before the endpoint is chosen (routing rules may look at it).
    const parts: PromptParts = {
      instructions, repoInstructions: '', history: { messages: [], dropped: 0, summarized: 0, tokens: 0 }, focusTokens: 0,
      toolTokens: 0, fixedTokens: ctx.count(instructions) + ctx.count(input.task) + 3000,
    };
    try {
      router = new RequestRouter(input.endpoint, 'agent', parts.fixedTokens, contextBudgetFor(input.contextBudget ?? DEFAULT_CONTEXT, parts.fixedTokens), input.reasoningEffort);
    } catch (err) {
      if (!(err instanceof RoutingError)) throw err;
      emitter.emit({ type: 'request.start', endpoint: 'none', model: 'none', command: 'agent', prompt: input.task, workspace: input.workspace?.name });
      const error = emitter.emit({ type: 'error', kind: 'config', message: err.message, action: 'Fix "ponder.endpoints" / "ponder.routing" in settings.json, or pass --base-url and --model.' });
      return await finish({ reason: 'refused', message: err.message, error });
    }
    emitStart(ctx, router, parts);
    if (!input.host.trusted) return await finish({ reason: 'refused', message: 'This workspace is not trusted, so agent mode is off: it would change files and run commands. Trust the workspace to use the agent.' });
    const stat = await fs.stat(root).catch(() => undefined);
    if (!stat?.isDirectory()) return await finish({ reason: 'refused', message: `The workspace folder ${root} does not exist or is not a folder.` });
    if (!input.task.trim()) return await finish({ reason: 'refused', message: 'The task is empty: say what the agent should do.' });

    checkpoint = await Checkpoint.create({ dir: input.checkpointDir, taskId, root, task: input.task });
    emitter.emit({ type: 'agent.task.start', taskId, task: input.task, root, approve, limits, checks, checkpoint: checkpoint.id });
    if (limits.maxCost !== null && !router.profile.pricing) {
      const others = `${limits.maxRounds} turns, ${limits.maxTokens.toLocaleString('en-US')} tokens, ${formatDuration(limits.maxMs)}`;
      emitter.emit({ type: 'notice', level: 'warning', message: `The cost cap (${formatUsd(limits.maxCost)}, ponder.agent.maxCost) does not protect this task: "${router.profile.id}" has no price in its profile, so Ponder counts only a cost the provider itself reports. Add "pricing" to the profile to enforce it; the other limits hold (${others}).` });
    }

    const approvals = new ToolSession();
    // One root: the agent's tools see only the folder it works in.
    const host: EditorPort = scopedTo(input.host, [{ name: path.basename(root), path: root }]);
    session = {
      host, deps: toolDeps, emitter, checkpoint, approve, checks, allowedCommands: input.allowedCommands,
      // "Always" holds for the task: one exact command, or one file tool (sessionKey).
      policy: new ApprovalPolicy({ trusted: true, port: input.approval, session: approvals }),
      outputTokens: input.outputTokens ?? 2000,
      runCommand: (req, sig) => input.host.runCommand(req, sig),
      signal, plan: [], changes: [], changeSeq: 0, checkResults: new Map(),
    };
    const read = [readFileTool, listFilesTool, searchTextTool, findSymbolTool, getDiagnosticsTool, gitDiffTool] as ToolDefinition[];
    const tools = [
      ...read.filter((t) => (t.available ? t.available(host) : true)),
      ...fileTools(session), planTool(session), ...[checkTool(session)].filter((t): t is ToolDefinition => !!t), commandTool(session),
    ];
    // MCP servers' tools beside the agent's own (never under an agent tool's name); only the allow-listed skip asking.
    const external = (input.externalTools ?? []).filter((t) => !tools.some((own) => own.name === t.name));
    if (external.length) {
      const autoApprove = external.map((t) => t.name).filter((n) => input.externalAutoApprove?.includes(n));
      session.policy = new ApprovalPolicy({ trusted: true, port: input.approval, autoApprove, autoApproveSetting: 'ponder.mcp.autoApprove', session: approvals });
      tools.push(...external);
    }
    const runner = new AgentToolRunner(session, tools);
    const meter = new MessageMeter(ctx.count);
    const toolTokens = ctx.count(JSON.stringify(runner.specs()));

    // The repository context the engine packs for the task, as data in the first message.
    const budget = Math.min(input.contextBudget ?? DEFAULT_CONTEXT, Math.max(0, router.profile.contextWindow - router.profile.maxOutputTokens - parts.fixedTokens - toolTokens));
    const pack = budget > 0 ? await packWorkspace(ctx, budget) : {};
    emitPacked(ctx, pack.packed, router.profile);
    if (pack.error) emitter.emit({ type: 'notice', level: 'warning', message: `Repository context could not be gathered (${pack.error}); the agent starts without it.` });

    let messages: ChatMessage[] = [
      { role: router.profile.developerRole, content: instructions },
      { role: 'user', content: [renderContext(pack.packed?.items ?? []), await taskMessage({ task: input.task, root, checks, approve, overview: await topLevel(root) })].filter(Boolean).join('\n\n') },
    ];
    const apiKey = await input.getApiKey(router.profile.id);
    /** changeSeq at the last time Ponder ran the checks itself after the model stopped. */
    let verifiedAt = -1;
    const budgets = new TaskBudget(input.budget, (message) => emitter.emit({ type: 'notice', level: 'warning', message }));
    /** The last step whose agent.step (its tokens and cost) was emitted. */
    let closed = 0;
    const s = session;

    for (;;) {
      // One runTurns call runs model turns and tool rounds until the model stops (or a gate stops it).
      let ending: Ending | undefined;
      let last: { usage: Usage; providerCost?: ProviderCost; at: number } = { usage: ZERO, at: now() };
      let sentMessages: ChatMessage[] = messages;
      // A step ends when the next turn is prepared or the turns end; a turn that never reached the model began none.
      const closeStep = (usage: Usage, providerCost: ProviderCost | undefined) => {
        const step = steps.step;
        if (step === undefined || step <= closed) return;
        closed = step;
        const at = now();
        const stepUsage = subUsage(usage, last.usage);
        const cost = costOfTurns({ usage: stepUsage, providerCost: subCost(providerCost, last.providerCost) }, router!.profile, at - last.at).amount;
        stepCosts.push(cost);
        const sofar = addUsage(total?.usage ?? ZERO, usage);
        emitter.emit({ type: 'agent.step', step, usage: stepUsage, cost, ms: at - last.at, totalTokens: sofar.prompt + sofar.completion, totalCost: totalCost() });
        last = { usage, providerCost, at };
      };
      const beforeTurn = async (t: BeforeTurn): Promise<TurnGate | undefined> => {
        closeStep(t.usage, t.providerCost);
        steps.arm();
        last.at = now();
        const stop = (e: Ending): TurnGate => { ending = e; return { stop: { finishReason: 'stop' } }; };
        if (signal.aborted) return stop(stopped());
        if (steps.count >= limits.maxRounds) {
          return stop({ reason: 'limit', limit: { kind: 'rounds', max: limits.maxRounds, used: steps.count }, message: `Stopped: the limit of ${limits.maxRounds} model turns was reached (ponder.agent.maxRounds / --max-rounds).` });
        }
        const room = Math.max(1, t.profile.contextWindow - t.profile.maxOutputTokens - toolTokens - FRAMING);
        let next: ChatMessage[] | undefined;
        const squeezed = condense(t.messages, room, meter);
        if (squeezed) {
          next = [...squeezed.messages, { role: 'user', content: stateNote(s) }];
          emitter.emit({ type: 'agent.condensed', outputs: squeezed.outputs, calls: squeezed.calls, tokensBefore: squeezed.before, tokensAfter: meter.total(next), window: t.profile.contextWindow });
        }
        const promptTokens = meter.total(next ?? t.messages) + toolTokens;
        const spent = addUsage(total?.usage ?? ZERO, t.usage);
        const spentTokens = spent.prompt + spent.completion;
        if (spentTokens + promptTokens > limits.maxTokens) {
          return stop({ reason: 'limit', limit: { kind: 'tokens', max: limits.maxTokens, used: spentTokens }, message: `Stopped: the next turn (about ${promptTokens.toLocaleString('en-US')} prompt tokens) would pass the task's token limit of ${limits.maxTokens.toLocaleString('en-US')} (${spentTokens.toLocaleString('en-US')} used).` });
        }
        if (limits.maxCost !== null) {
          const spentUsd = totalCost() ?? 0;
          const nextUsd = t.profile.pricing?.inputPerMTok ? (promptTokens * t.profile.pricing.inputPerMTok) / 1e6 : 0;
          if (spentUsd + nextUsd > limits.maxCost || spentUsd >= limits.maxCost) {
            return stop({ reason: 'limit', limit: { kind: 'cost', max: limits.maxCost, used: roundUsd(spentUsd) }, message: `Stopped: the cost cap of $${limits.maxCost} would be passed by the next turn ($${roundUsd(spentUsd)} spent${nextUsd ? `, about $${roundUsd(nextUsd)} more for its prompt` : ''}) (ponder.agent.maxCost / --max-cost).` });
          }
        }
        const over = await budgets.check({ promptTokens, profile: t.profile, spentUsd: totalCost() ?? 0 });
        if (over) return stop({ reason: 'limit', ...over });
        sentMessages = next ?? [...t.messages];
        return next ? { messages: next } : undefined;
      };

      const turns = await runTurns({
        emitter, streamTurn: steps.wrap(deps.streamTurn), profile: withEffort(router.profile, input.reasoningEffort), apiKey, getApiKey: input.getApiKey, messages, runner,
        maxRounds: Number.MAX_SAFE_INTEGER, toolsSupported: true, endpointMemory: input.endpointMemory, router, signal, startedAt: ctx.startedAt, now, keepReasoning: true, beforeTurn,
      });
      closeStep(turns.usage, turns.providerCost);
      total = total ? {
        ...turns, usage: addUsage(total.usage, turns.usage), providerCost: addCost(total.providerCost, turns.providerCost),
        contents: [...total.contents, ...turns.contents], reasoning: total.reasoning + turns.reasoning, rounds: total.rounds + turns.rounds,
        usageReported: total.usageReported || turns.usageReported, firstTokenMs: total.firstTokenMs ?? turns.firstTokenMs,
        thinkingMs: (total.thinkingMs ?? 0) + (turns.thinkingMs ?? 0),
      } : turns;
      const said = turns.contents.filter(Boolean).at(-1);
      if (said) answer = said;

      if (ending) return await finish(ending);
      if (turns.finishReason === 'cancelled' || signal.aborted) return await finish(stopped());
      if (turns.error) return await finish({ reason: 'error', message: `The model request failed: ${turns.error.message}`, error: turns.error });

      // The model stopped. With checks and changes since they last passed, Ponder checks itself.
      if (!checks.length) return await finish({ reason: 'done', message: 'The model reported the task done.' });
      if (s.changes.length === 0) return await finish({ reason: 'done', message: 'The model reported the task done without changing any file.' });
      const current = checks.every((c) => { const r = s.checkResults.get(c.name); return r?.passed && r.changeSeq === s.changeSeq; });
      const passedMsg = `The checks pass (${checks.map((c) => c.name).join(', ')}).`;
      if (current) return await finish({ reason: 'checks-passed', message: passedMsg });
      const results: string[] = [];
      let passed = true;
      for (const c of checks) {
        if (signal.aborted) return await finish(stopped());
        const r = await runOneCheck(s, c);
        passed &&= r.passed;
        results.push(r.text);
      }
      if (signal.aborted) return await finish(stopped());
      if (passed) return await finish({ reason: 'checks-passed', message: passedMsg });
      if (verifiedAt === s.changeSeq) {
        const failing = checks.filter((c) => !s.checkResults.get(c.name)?.passed).map((c) => c.name);
        return await finish({ reason: 'checks-failed', message: `The model stopped, but ${failing.join(', ')} still fail${failing.length === 1 ? 's' : ''}.` });
      }
      verifiedAt = s.changeSeq;
      messages = [...sentMessages,
        { role: 'assistant', content: turns.contents.at(-1) || null, ...(turns.reasoningState ? { reasoningState: turns.reasoningState } : {}) },
        { role: 'user', content: `(Ponder ran the checks after you stopped, and they fail. Fix the failures and run the checks again; if they cannot pass, stop and say why.)\n\n${results.join('\n\n')}` },
      ];
    }
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onAbort);
  }

  function stopped(): Ending {
    if (timeUp) return { reason: 'limit', limit: { kind: 'time', max: limits.maxMs, used: Math.max(0, now() - ctx.startedAt) }, message: `Stopped: the task's time limit of ${formatDuration(limits.maxMs)} was reached (ponder.agent.maxMinutes).` };
    return { reason: 'cancelled', message: 'Cancelled by the user. The changes made so far stay applied; Undo Agent Changes puts them back.' };
  }

  function totalCost(): number | null {
    const priced = stepCosts.filter((c): c is number => c !== null);
    return priced.length ? roundUsd(priced.reduce((a, c) => a + c, 0)) : null;
  }

  async function finish(end: Ending): Promise<AgentResult> {
    steps.end();
    const ok = end.reason === 'done' || end.reason === 'checks-passed';
    const usage = total?.usage ?? ZERO;
    const cost = totalCost();
    const files = session ? summarize(session.changes) : [];
    if (checkpoint) {
      emitter.emit({
        type: 'agent.task.end', taskId, reason: end.reason, ok, message: end.message, ...(end.limit ? { limit: end.limit } : {}),
        rounds: stepCosts.length, usage, cost, ms: Math.max(0, now() - ctx.startedAt), files, checkpoint: checkpoint.id,
      });
    }
    const error = end.error ?? (end.reason === 'refused' ? emitter.emit({ type: 'error', kind: 'config', message: end.message }) : undefined);
    await finishRequest(ctx, {
      finishReason: ok ? 'stop' : end.reason === 'cancelled' ? 'cancelled' : 'error',
      profile: total?.profile ?? router?.profile, error, answer, reasoning: total?.reasoning ?? '', ...(total ? { turns: total } : {}),
    });
    return {
      taskId, reason: end.reason, ok, message: end.message, ...(end.limit ? { limit: end.limit } : {}),
      ...(checkpoint ? { checkpoint } : {}), files, rounds: stepCosts.length, usage, cost, answer, events: ctx.events,
    };
  }
}

/** The files changed, one row per path as it stands (a created-then-renamed file is created at its new path). */
function summarize(changes: AgentSession['changes']): AgentResult['files'] {
  const byPath = new Map<string, AgentResult['files'][number]>();
  for (const c of changes) {
    const prev = byPath.get(c.from ?? c.path);
    if (c.action === 'renamed' && c.from) {
      byPath.delete(c.from);
      byPath.set(c.path, prev?.action === 'created' ? { path: c.path, action: 'created' } : { path: c.path, action: 'renamed', from: prev?.from ?? c.from });
    } else if (!prev) byPath.set(c.path, { ...c });
    else if (prev.action === 'created' && c.action === 'deleted') byPath.delete(c.path);
    else if (c.action === 'deleted') byPath.set(c.path, { path: c.path, action: 'deleted' });
  }
  return [...byPath.values()];
}

/** Restated after condensing: the plan and where things stand, so nothing essential is lost. */
function stateNote(s: AgentSession): string {
  const plan = s.plan.length ? s.plan.map((i) => `- [${i.status === 'done' ? 'x' : i.status === 'in_progress' ? '~' : ' '}] ${i.text}`).join('\n') : '(no plan yet)';
  const files = s.changes.length ? [...new Set(s.changes.map((c) => `${c.action} ${c.from ? `${c.from} → ` : ''}${c.path}`))].join('\n') : '(none yet)';
  const checks = [...s.checkResults].map(([name, r]) => `${name}: ${r.passed ? 'passed' : 'failed'}${r.changeSeq === s.changeSeq ? '' : ' (before your latest changes)'}`).join('\n') || '(not run yet)';
  return `(Ponder: older tool output above was condensed to stay within the context window; its notes say what each was. Where things stand:\nPlan:\n${plan}\nFiles changed:\n${files}\nChecks:\n${checks}\nContinue the task.)`;
}

function formatDuration(ms: number): string {
  const min = ms / 60_000;
  return min >= 1 ? `${Number(min.toFixed(1))} min` : `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}

