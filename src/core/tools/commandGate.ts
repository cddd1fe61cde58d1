import { resolveCommandCwd } from './pathSafety';
import type { ApprovalDecision, ToolContext } from './types';

export type CommandGate =
  | { ok: false; error: string }
  | { ok: true; rel: string; abs: string; decision: ApprovalDecision };

/**
 * What every run_command does before running (chat's and the agent's): the working directory
 * resolved inside the workspace, then the approval asked with the exact command and folder.
 * The caller words the denial for its model and runs the command only when `decision.allow`.
 */
export async function commandGate(ctx: ToolContext, command: string, cwd: string): Promise<CommandGate> {
  const where = await resolveCommandCwd(ctx.host.roots(), cwd, ctx.deps);
  if (!where.ok) return where;
  const decision = await ctx.approve('command', { type: 'command', command, cwd: where.rel, absCwd: where.abs });
  return { ok: true, rel: where.rel, abs: where.abs, decision };
}
