import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { ledgerEntryFromEvents } from '../cost/fromEvents';
import { costOfRequest, roundUsd } from '../cost/pricing';
import { RequestEmitter, type AgentEndReason, type AgentLimitKind, type EventOf, type PonderEvent, type Usage } from '../events';
import { renderInstructionFiles } from '../instructions/render';
import { silentLogger } from '../log';
import { streamTurn as defaultStreamTurn } from '../model/client';
import type { ChatMessage, ModelEvent, ProviderCost, ResolvedProfile } from '../model/types';
import { chooseEndpoint, RoutingError, type Route } from '../routing/choose';
import { spawnCommand } from '../tools/changeTools';
import { findSymbolTool, getDiagnosticsTool, gitDiffTool } from '../tools/codeTools';
import { defaultToolDeps } from '../tools/deps';
import { ApprovalPolicy } from '../tools/approval';
import { listFilesTool, readFileTool, searchTextTool } from '../tools/readTools';
import type { ToolDefinition, ToolHost } from '../tools/types';
import { createExcludeRule } from '../tools/walk';
import { Checkpoint } from './checkpoint';
import { condense, MessageMeter } from './condense';
import { fileTools } from './fileTools';
import { agentInstructions, taskMessage, topLevel } from './prompt';
import type { AgentSession } from './session';
import { AgentToolRunner } from './toolRunner';
import { DEFAULT_LIMITS, type AgentInput, type AgentResult } from './types';
import { checkTool, commandTool, planTool, runOneCheck } from './workTools';

const ZERO: Usage = { prompt: 0, cached: 0, completion: 0, reasoning: 0, cacheWrite: 0 };
/** Tokens kept free beyond the output reserve for message framing. */
const FRAMING = 256;

function add(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  return { prompt: a.prompt + b.prompt, cached: a.cached + b.cached, completion: a.completion + b.completion, reasoning: a.reasoning + b.reasoning, cacheWrite: a.cacheWrite + b.cacheWrite };
}

interface Ending { reason: AgentEndReason; message: string; limit?: { kind: AgentLimitKind; max: number; used: number }; error?: EventOf<'error'> }

/**
 * One agent task end to end: the model works in turns (read, change, check) until it stops
 * with the checks passing or says it is done, or a limit ends it. Every change is applied under
 * the task's checkpoint; every turn's tokens and cost are reported (agent.step) and the limits
 * (rounds, tokens, cost, wall time) are checked BEFORE each model turn. Never throws for model,
 * tool or limit trouble: agent.task.end says how and why it ended.
 */
export async function runAgent(input: AgentInput): Promise<AgentResult> {
  const now = input.deps?.now ?? Date.now;
  const streamTurn = input.deps?.streamTurn ?? defaultStreamTurn;
  const log = input.logger ?? silentLogger;
  const taskId = input.taskId ?? randomUUID();
  const limits = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(input.limits ?? {}).filter(([, v]) => v !== undefined)) };
  const approve = input.approve ?? 'commands';
  const checks = input.checks ?? [];
  const events: PonderEvent[] = [];
  const emitter = new RequestEmitter(taskId, (e) => {
    events.push(e);
    try { input.onEvent?.(e); } catch (err) { log.error(`event sink failed on ${e.type}: ${String(err)}`); }
  }, now);
  const startedAt = now();
  const root = path.resolve(input.root);

  // The user's cancel and the wall-time limit both stop whatever runs (model stream, command).
  const ctl = new AbortController();
  let timeUp = false;
  const onAbort = () => ctl.abort();
  input.signal?.addEventListener('abort', onAbort, { once: true });
  if (input.signal?.aborted) ctl.abort();
  const timer = setTimeout(() => { timeUp = true; ctl.abort(); }, Math.max(0, limits.maxMs));
  const signal = ctl.signal;

  let usage = ZERO;
  const stepCosts: { amount: number | null; source: string; note?: string }[] = [];
  let rounds = 0;
  let answer = '';
  let checkpoint: Checkpoint | undefined;
  let session: AgentSession | undefined;
  let profile: ResolvedProfile | undefined;
  let route: Route<ResolvedProfile> | undefined;

  try {
    const choice = input.endpoint;
    try {
      if ('profile' in choice) profile = choice.profile;
      else { route = chooseEndpoint({ ...choice, command: 'agent' }); profile = route.profile; }
    } catch (err) {
      if (!(err instanceof RoutingError)) throw err;
      emitter.emit({ type: 'request.start', endpoint: 'none', model: 'none', command: 'agent', prompt: input.task, workspace: path.basename(root) });
      const error = emitter.emit({ type: 'error', kind: 'config', message: err.message, action: 'Fix "ponder.endpoints" / "ponder.routing" in settings.json, or pass --base-url and --model.' }) as EventOf<'error'>;
      return await finish({ reason: 'refused', message: err.message, error });
    }
    emitter.emit({
      type: 'request.start', endpoint: profile.id, model: profile.model ?? 'server default', provider: profile.provider, command: 'agent',
      prompt: input.task, workspace: path.basename(root),
      route: route ? { rule: route.rule, reason: route.reason } : 'profile' in choice ? choice.route : undefined,
      ...(profile.privateReasoning ? { privateReasoning: true } : {}),
    });
    if (!input.host.trusted) {
      return await finish({ reason: 'refused', message: 'This workspace is not trusted, so agent mode is off: it would change files and run commands. Trust the workspace to use the agent.' });
    }
    const stat = await fs.stat(root).catch(() => undefined);
    if (!stat?.isDirectory()) return await finish({ reason: 'refused', message: `The workspace folder ${root} does not exist or is not a folder.` });
    if (!input.task.trim()) return await finish({ reason: 'refused', message: 'The task is empty: say what the agent should do.' });

    checkpoint = await Checkpoint.create({ dir: input.checkpointDir, taskId, root, task: input.task });
    emitter.emit({ type: 'agent.task.start', taskId, task: input.task, root, approve, limits, checks, checkpoint: checkpoint.id });
    if (limits.maxCost !== null && !profile.pricing) {
      emitter.emit({ type: 'notice', level: 'warning', message: `The cost cap ($${limits.maxCost}) can only be checked against what the provider reports: "${profile.id}" has no price in its profile.` });
    }

    // One root: the agent's tools see only the folder it works in.
    const host: ToolHost = { ...input.host, roots: [{ name: path.basename(root), path: root }] };
    const toolDeps = { ...(input.deps?.toolDeps ?? defaultToolDeps), isExcluded: createExcludeRule(input.exclude ?? []) };
    session = {
      host, deps: toolDeps, emitter, checkpoint, approve, checks, allowedCommands: input.allowedCommands,
      // No session memory: "always" for a command must not let the next, different command through.
      policy: new ApprovalPolicy({ trusted: true, port: input.approval }),
      outputTokens: input.outputTokens ?? 2000,
      runCommand: (req, sig) => (input.host.runCommand ? input.host.runCommand(req, sig) : spawnCommand(req, sig)),
      signal, plan: [], changes: [], changeSeq: 0, checkResults: new Map(),
    };
    const read = [readFileTool, listFilesTool, searchTextTool, findSymbolTool, getDiagnosticsTool, gitDiffTool] as ToolDefinition[];
    const tools = [
      ...read.filter((t) => (t.available ? t.available(host) : true)),
      ...fileTools(session), planTool(session), ...[checkTool(session)].filter((t): t is ToolDefinition => !!t), commandTool(session),
    ];
    const runner = new AgentToolRunner(session, tools);
    const count = toolDeps.countTokens;
    const meter = new MessageMeter(count);
    const toolTokens = count(JSON.stringify(runner.specs()));
    const room = Math.max(1, profile.contextWindow - profile.maxOutputTokens - toolTokens - FRAMING);

    let messages: ChatMessage[] = [
      { role: profile.developerRole, content: agentInstructions({ repoInstructions: renderInstructionFiles(input.instructionFiles ?? []) }) },
      { role: 'user', content: await taskMessage({ task: input.task, root, checks, approve, overview: await topLevel(root) }) },
    ];
    const apiKey = await input.getApiKey(profile.id);
    /** changeSeq at the last time Ponder ran the checks itself after the model stopped. */
    let verifiedAt = -1;

    for (;;) {
      if (signal.aborted) return await finish(stopped());
      // Limits, before the turn is sent.
      if (rounds >= limits.maxRounds) {
        return await finish({ reason: 'limit', limit: { kind: 'rounds', max: limits.maxRounds, used: rounds }, message: `Stopped: the limit of ${limits.maxRounds} model turns was reached (ponder.agent.maxRounds / --max-rounds).` });
      }
      const squeezed = condense(messages, room, meter);
      if (squeezed) {
        messages = [...squeezed.messages, { role: 'user', content: stateNote(session) }];
        emitter.emit({ type: 'agent.condensed', outputs: squeezed.outputs, calls: squeezed.calls, tokensBefore: squeezed.before, tokensAfter: meter.total(messages), window: profile.contextWindow });
      }
      const promptTokens = meter.total(messages) + toolTokens;
      const spentTokens = usage.prompt + usage.completion;
      if (spentTokens + promptTokens > limits.maxTokens) {
        return await finish({ reason: 'limit', limit: { kind: 'tokens', max: limits.maxTokens, used: spentTokens }, message: `Stopped: the next turn (about ${promptTokens.toLocaleString('en-US')} prompt tokens) would pass the task's token limit of ${limits.maxTokens.toLocaleString('en-US')} (${spentTokens.toLocaleString('en-US')} used).` });
      }
      if (limits.maxCost !== null) {
        const spent = totalCost() ?? 0;
        const next = profile.pricing?.inputPerMTok ? (promptTokens * profile.pricing.inputPerMTok) / 1e6 : 0;
        if (spent + next > limits.maxCost || (spent >= limits.maxCost && limits.maxCost >= 0)) {
          return await finish({ reason: 'limit', limit: { kind: 'cost', max: limits.maxCost, used: roundUsd(spent) }, message: `Stopped: the cost cap of $${limits.maxCost} would be passed by the next turn ($${roundUsd(spent)} spent${next ? `, about $${roundUsd(next)} more for its prompt` : ''}) (ponder.agent.maxCost / --max-cost).` });
        }
      }

      const announced = new Set<string>();
      const held: ModelEvent[] = [];
      const sentAt = now();
      const turn = await streamTurn({
        profile, apiKey, messages, tools: runner.specs(), signal, keepReasoning: true, promptTokens,
        emit: (e) => {
          if (e.type === 'usage') return; // per step in agent.step, summed at the end
          if (e.type === 'error') { held.push(e); return; }
          if (e.type === 'tool.call') announced.add(e.id);
          emitter.emit(e);
        },
      });
      rounds++;
      const ms = Math.max(0, now() - sentAt);
      usage = add(usage, turn.usage);
      const cost = costOfRequest({ usage: turn.usage ?? ZERO, providerCost: turn.providerCost as ProviderCost | undefined, pricing: profile.pricing, durationMs: ms, endpoint: profile.id });
      stepCosts.push({ amount: cost.amount, source: cost.source, note: cost.note });
      emitter.emit({ type: 'agent.step', step: rounds, usage: turn.usage ?? ZERO, cost: cost.amount, ms, totalTokens: usage.prompt + usage.completion, totalCost: totalCost() });
      if (turn.content) answer = turn.content;

      if (turn.finishReason === 'cancelled' || signal.aborted) return await finish(stopped());
      if (turn.error) {
        let error: EventOf<'error'> | undefined;
        for (const e of held) error = emitter.emit(e) as EventOf<'error'>;
        error ??= emitter.emit({ type: 'error', kind: turn.error.kind, message: turn.error.message, action: turn.error.action, fix: turn.error.fix, status: turn.error.status }) as EventOf<'error'>;
        return await finish({ reason: 'error', message: `The model request failed: ${turn.error.message}`, error });
      }
      for (const e of held) emitter.emit(e);

      if (turn.toolCalls.length === 0) {
        // The model stopped. With checks and changes since they last passed, Ponder checks itself.
        if (!checks.length) return await finish({ reason: 'done', message: 'The model reported the task done.' });
        if (session.changes.length === 0) return await finish({ reason: 'done', message: 'The model reported the task done without changing any file.' });
        const current = checks.every((c) => { const r = session!.checkResults.get(c.name); return r?.passed && r.changeSeq === session!.changeSeq; });
        if (current) return await finish({ reason: 'checks-passed', message: `Done: the checks pass (${checks.map((c) => c.name).join(', ')}).` });
        const results: string[] = [];
        let passed = true;
        for (const c of checks) {
          if (signal.aborted) return await finish(stopped());
          const r = await runOneCheck(session, c);
          passed &&= r.passed;
          results.push(r.text);
        }
        if (signal.aborted) return await finish(stopped());
        if (passed) return await finish({ reason: 'checks-passed', message: `Done: the checks pass (${checks.map((c) => c.name).join(', ')}).` });
        if (verifiedAt === session.changeSeq) {
          const failing = checks.filter((c) => !session!.checkResults.get(c.name)?.passed).map((c) => c.name);
          return await finish({ reason: 'checks-failed', message: `The model stopped, but ${failing.join(', ')} still fail${failing.length === 1 ? 's' : ''}.` });
        }
        verifiedAt = session.changeSeq;
        messages = [...messages,
          { role: 'assistant', content: turn.content || null, ...(turn.reasoningState ? { reasoningState: turn.reasoningState } : {}) },
          { role: 'user', content: `(Ponder ran the checks after you stopped, and they fail. Fix the failures and run the checks again; if they cannot pass, stop and say why.)\n\n${results.join('\n\n')}` },
        ];
        continue;
      }

      messages = [...messages, {
        role: 'assistant', content: turn.content || null,
        tool_calls: turn.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })),
        reasoning: turn.reasoning || undefined, reasoningDetails: turn.reasoningDetails,
        ...(turn.reasoningState ? { reasoningState: turn.reasoningState } : {}),
      }];
      for (const call of turn.toolCalls) {
        const r = await runner.run(call, announced.has(call.id));
        messages.push({ role: 'tool', tool_call_id: call.id, content: r.content });
      }
    }
  } finally {
    clearTimeout(timer);
    input.signal?.removeEventListener('abort', onAbort);
  }

  function stopped(): Ending {
    if (timeUp) return { reason: 'limit', limit: { kind: 'time', max: limits.maxMs, used: Math.max(0, now() - startedAt) }, message: `Stopped: the task's time limit of ${formatMinutes(limits.maxMs)} was reached (ponder.agent.maxMinutes).` };
    return { reason: 'cancelled', message: 'Cancelled by the user. The changes made so far stay applied; Undo Agent Changes puts them back.' };
  }

  function totalCost(): number | null {
    const priced = stepCosts.filter((c) => c.amount !== null);
    return priced.length ? roundUsd(priced.reduce((a, c) => a + (c.amount ?? 0), 0)) : null;
  }

  async function finish(end: Ending): Promise<AgentResult> {
    const ms = Math.max(0, now() - startedAt);
    const ok = end.reason === 'done' || end.reason === 'checks-passed';
    const cost = totalCost();
    if (rounds > 0) {
      emitter.emit({ type: 'usage', usage });
      const sources = [...new Set(stepCosts.filter((c) => c.amount !== null).map((c) => c.source))];
      const source = (sources.length === 1 ? sources[0] : sources.includes('provider') ? 'provider' : sources[0] ?? 'unpriced') as EventOf<'cost'>['source'];
      const notes = [...new Set(stepCosts.map((c) => c.note).filter((n): n is string => !!n))];
      emitter.emit({ type: 'cost', amount: cost, currency: 'USD', source, ...(notes.length ? { note: notes.join('; ').slice(0, 500) } : {}) });
    }
    const files = session ? summarize(session.changes) : [];
    if (checkpoint) {
      emitter.emit({
        type: 'agent.task.end', taskId, reason: end.reason, ok, message: end.message, ...(end.limit ? { limit: end.limit } : {}),
        rounds, usage, cost, ms, files, checkpoint: checkpoint.id,
      });
    } else if (!end.error) {
      emitter.emit({ type: 'error', kind: 'config', message: end.message });
    }
    emitter.emit({ type: 'request.end', finishReason: ok ? 'stop' : end.reason === 'cancelled' ? 'cancelled' : 'error', ms });
    if (input.recordTo && rounds > 0) {
      try {
        const entry = ledgerEntryFromEvents(events, { sessionId: input.recordTo.sessionId, workspace: path.basename(root) });
        if (entry) await input.recordTo.ledger.append(entry);
      } catch (err) {
        log.warn(`could not record the task in the ledger ${input.recordTo.ledger.file}: ${String(err)}`);
      }
    }
    return {
      taskId, reason: end.reason, ok, message: end.message, ...(end.limit ? { limit: end.limit } : {}),
      ...(checkpoint ? { checkpoint } : {}), files, rounds, usage, cost, answer, events,
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

function formatMinutes(ms: number): string {
  const min = ms / 60_000;
  return min >= 1 ? `${Number(min.toFixed(1))} min` : `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;
}
