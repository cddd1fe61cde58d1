import { z } from 'zod';
import { quotedLine } from '../terminalText';
import { commandGate } from '../tools/commandGate';
import { fail } from '../tools/readTools';
import type { ToolDefinition, ToolOutput } from '../tools/types';
import { trimOutput } from './output';
import type { AgentSession } from './session';
import type { AgentCheck } from './types';

/**
 * update_plan (the checklist the user follows), run_check (the project's checks, configured by
 * the user, run without asking) and run_command (anything else: asks unless allow-listed).
 * Command output reaches the model trimmed to what matters and with secrets redacted.
 */

const PlanArgs = z.object({
  items: z.array(z.object({
    text: z.string().min(1).max(300).describe('one step, a short imperative sentence'),
    status: z.enum(['pending', 'in_progress', 'done']),
  }).strict()).min(1).max(30).describe('the whole plan, in order: send every item each time'),
}).strict();

const CHECK_TIMEOUT_MS = 10 * 60_000;

export function planTool(s: AgentSession): ToolDefinition {
  const tool: ToolDefinition<typeof PlanArgs> = {
    name: 'update_plan', kind: 'read', schema: PlanArgs,
    description: 'Keep a short checklist of the task that the user follows: call it first with the steps, then whenever a step starts or is done (send the whole list each time).',
    async run(args) {
      s.plan = args.items.map((i) => ({ text: i.text, status: i.status }));
      s.emitter.emit({ type: 'agent.plan', items: s.plan });
      const done = s.plan.filter((i) => i.status === 'done').length;
      const now = s.plan.find((i) => i.status === 'in_progress');
      return { ok: true, content: `Plan updated: ${done} of ${s.plan.length} done${now ? `; in progress: ${now.text}` : ''}.`, summary: `plan: ${done}/${s.plan.length} done` };
    },
  };
  return tool as ToolDefinition;
}

/** Runs one configured check, emitting agent.check before and after; the result is kept in the session. */
export async function runOneCheck(s: AgentSession, check: AgentCheck): Promise<{ passed: boolean; text: string }> {
  const root = s.host.roots()[0];
  s.emitter.emit({ type: 'agent.check', name: check.name, command: check.command, state: 'running' });
  const t0 = Date.now();
  const out = await s.runCommand({ command: check.command, cwd: '.', absCwd: root.path, timeoutMs: CHECK_TIMEOUT_MS }, s.signal);
  const ms = Date.now() - t0;
  const passed = out.exitCode === 0 && !out.timedOut;
  const trimmed = s.deps.redactSecrets(trimOutput(out.output, s.outputTokens, s.deps.countTokens));
  const status = out.timedOut ? `stopped after ${CHECK_TIMEOUT_MS / 60_000} min (timeout)` : out.exitCode === null ? `ended by signal ${out.signal ?? 'unknown'}` : `exit code ${out.exitCode}`;
  s.checkResults.set(check.name, { passed, changeSeq: s.changeSeq, exitCode: out.exitCode, output: trimmed });
  s.emitter.emit({ type: 'agent.check', name: check.name, command: check.command, state: passed ? 'passed' : 'failed', exitCode: out.exitCode, output: trimmed, ms });
  return { passed, text: `check "${check.name}" ($ ${check.command}): ${passed ? 'passed' : 'FAILED'}, ${status}\n${trimmed || '(no output)'}` };
}

export function checkTool(s: AgentSession): ToolDefinition | undefined {
  if (!s.checks.length) return undefined;
  const names = s.checks.map((c) => c.name) as [string, ...string[]];
  const Args = z.object({ name: z.enum(names).optional().describe('which check; omit to run them all') }).strict();
  const tool: ToolDefinition<typeof Args> = {
    name: 'run_check', kind: 'read', schema: Args,
    description: `Run the project's checks (the user configured them; they run without asking): ${s.checks.map((c) => `"${c.name}" = ${c.command}`).join('; ')}. Returns pass/fail and the output that matters (failures, first and last lines).`,
    async run(args): Promise<ToolOutput> {
      const chosen = args.name ? s.checks.filter((c) => c.name === args.name) : s.checks;
      const parts: string[] = [];
      let allPassed = true;
      for (const c of chosen) {
        if (s.signal?.aborted) break;
        const r = await runOneCheck(s, c);
        allPassed &&= r.passed;
        parts.push(r.text);
      }
      const names = chosen.map((c) => c.name).join(', ');
      return { ok: allPassed, content: parts.join('\n\n'), summary: `${names}: ${allPassed ? 'passed' : 'failed'}`, ...(allPassed ? {} : { error: 'check failed' }) };
    },
  };
  return tool as ToolDefinition;
}

const CommandArgs = z.object({
  command: z.string().min(1).max(4000).describe('the shell command, e.g. "npx tsc --noEmit"'),
  cwd: z.string().default('.').describe('working directory relative to the workspace root'),
  timeout_seconds: z.number().int().min(1).max(1800).default(300).describe('stop it after this many seconds'),
}).strict();

export function commandTool(s: AgentSession): ToolDefinition {
  const tool: ToolDefinition<typeof CommandArgs> = {
    name: 'run_command', kind: 'command', schema: CommandArgs,
    description: 'Run a shell command in the workspace. The user approves each command (unless it is in their allow-list); prefer run_check for the project\'s checks. Returns the exit code and the output that matters.',
    async run(args, ctx) {
      const where = await commandGate(ctx, args.command, args.cwd);
      if (!where.ok) return fail(where.error);
      const { decision } = where;
      if (!decision.allow) {
        const who = decision.by === 'user' ? 'the user denied it' : `not allowed: ${decision.reason ?? 'by policy'}`;
        return { ok: false, content: `Denied: ${quotedLine(args.command)} was NOT run (${who}). Do not ask for it again: continue without it, or finish and say what you would run and why.`, summary: `denied: ${args.command}`, error: 'denied' };
      }
      const out = await s.runCommand({ command: args.command, cwd: where.rel, absCwd: where.abs, timeoutMs: args.timeout_seconds * 1000 }, ctx.signal);
      const status = out.timedOut ? `stopped after ${args.timeout_seconds} s (timeout)` : out.exitCode === null ? `ended by signal ${out.signal ?? 'unknown'}` : `exit code ${out.exitCode}`;
      const body = ctx.deps.redactSecrets(trimOutput(out.output, s.outputTokens, ctx.deps.countTokens));
      return {
        ok: out.exitCode === 0, content: `$ ${args.command}  (in ${where.rel})\n${status}\n${body || '(no output)'}`,
        summary: `${args.command}: ${status}`, ...(out.exitCode === 0 ? {} : { error: status }),
      };
    },
  };
  return tool as ToolDefinition;
}
