import { z } from 'zod';
import { unifiedDiff } from './diff';
import { commandGate } from './commandGate';
import { pathRules, resolveWorkspacePath } from './pathSafety';
import { fail, readWorkspaceText } from './readTools';
import { applyReplacements } from './replace';
import type { ToolDefinition } from './types';
import type { CommandRequest, EditProposal } from '../editor/port';

/**
 * Tools that change things. Both always go through approval (ctx.approve): the user sees the
 * exact diff or the exact command and working directory first. A denial is reported to the
 * model as such, so it can continue without the change.
 */

const Edit = z.object({
  old_text: z.string().min(1).describe('exact text to replace, copied from the file, with enough lines to be unique'),
  new_text: z.string().describe('the replacement text'),
}).strict();

const ProposeEditArgs = z.object({
  path: z.string().describe('file relative to the workspace root'),
  edits: z.array(Edit).min(1).max(50).optional().describe('exact replacements, applied in order'),
  content: z.string().optional().describe('the full new content of the file (for a new file, or a rewrite)'),
  explanation: z.string().max(2000).optional().describe('one sentence shown to the user: why this change'),
}).strict().refine((a) => (a.edits === undefined) !== (a.content === undefined), {
  message: "give either 'edits' (exact old/new text replacements) or 'content' (the whole new file), not both",
});

export const proposeEditTool: ToolDefinition<typeof ProposeEditArgs> = {
  name: 'propose_edit',
  kind: 'write',
  description: 'Propose a change to a workspace file: exact old/new text replacements, or the whole new content. The user reviews the diff and applies or rejects it; the result says which.',
  schema: ProposeEditArgs,
  async run(args, ctx) {
    const where = await resolveWorkspacePath(ctx.host.roots(), args.path, { ...pathRules(ctx.deps), allowMissing: true });
    if (!where.ok) return fail(where.reason);
    if (where.isDirectory) return fail(`"${where.rel}" is a directory, not a file`);
    let before = '';
    if (where.exists) {
      const read = await readWorkspaceText(ctx, where.abs, where.rel);
      if (!read.ok) return fail(read.error);
      before = read.text;
    } else if (args.edits) {
      return fail(`"${where.rel}" does not exist, so there is no text to replace; send 'content' to create it`);
    }
    let after = args.content ?? before;
    if (args.edits) {
      const replaced = applyReplacements(before, args.edits, where.rel);
      if (!replaced.ok) return fail(replaced.error);
      after = replaced.after;
    }
    if (after === before && where.exists) return fail(`the edit does not change ${where.rel}`);
    const diff = unifiedDiff(where.rel, before.replace(/\r\n/g, '\n'), after.replace(/\r\n/g, '\n'), where.exists);
    const proposal: EditProposal = { path: where.rel, root: where.root.path, absPath: where.abs, exists: where.exists, before, after, diff: diff.text, added: diff.added, removed: diff.removed };
    const decision = await ctx.approve('write', { type: 'edit', proposal });
    const stat = `+${diff.added} −${diff.removed} lines`;
    if (!decision.allow) {
      const why = decision.reason ? ` (${decision.reason})` : '';
      return { ok: false, content: `The user rejected the edit to ${where.rel}${why}; the file is unchanged. Do not propose the same edit again; continue without it or ask the user.`, summary: `rejected: ${where.rel}`, error: 'rejected' };
    }
    const outcome = await ctx.host.applyEdit(proposal);
    if (!outcome.applied) {
      return { ok: false, content: `The edit to ${where.rel} was not applied${outcome.message ? `: ${outcome.message}` : ''}. The file is unchanged.`, summary: `not applied: ${where.rel}`, error: outcome.message ?? 'not applied' };
    }
    return { ok: true, content: `Applied the edit to ${where.rel} (${stat})${where.exists ? '' : ', a new file'}.`, summary: `applied: ${where.rel} (${stat})` };
  },
};

const RunCommandArgs = z.object({
  command: z.string().min(1).max(4000).describe('the shell command to run, e.g. "npm test -- --grep parser"'),
  cwd: z.string().default('.').describe('working directory relative to the workspace root'),
  timeout_seconds: z.number().int().min(1).max(600).default(120).describe('stop the command after this many seconds'),
}).strict();

const MAX_COMMAND_OUTPUT = 16_000;

/** Keeps the head and the tail of long output: errors usually sit at the end. */
export function truncateMiddle(text: string, max = MAX_COMMAND_OUTPUT): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.3);
  const tail = max - head;
  return `${text.slice(0, head)}\n[… ${text.length - max} characters of output omitted …]\n${text.slice(text.length - tail)}`;
}

export const runCommandTool: ToolDefinition<typeof RunCommandArgs> = {
  name: 'run_command',
  kind: 'command',
  description: 'Run a shell command in the workspace (tests, builds, linters). The user sees the exact command and working directory and must approve it; returns the exit code and the (truncated) output.',
  schema: RunCommandArgs,
  async run(args, ctx) {
    const where = await commandGate(ctx, args.command, args.cwd);
    if (!where.ok) return fail(where.error);
    const { decision } = where;
    if (!decision.allow) {
      const why = decision.reason ? ` (${decision.reason})` : '';
      return { ok: false, content: `The user denied running \`${args.command}\`${why}; it was not run. Do not ask to run it again; continue without it or tell the user what you would run and why.`, summary: `denied: ${args.command}`, error: 'denied' };
    }
    const req: CommandRequest = { command: args.command, cwd: where.rel, absCwd: where.abs, timeoutMs: args.timeout_seconds * 1000 };
    const out = await ctx.host.runCommand(req, ctx.signal);
    const status = out.timedOut ? `stopped after ${args.timeout_seconds} s (timeout)` : out.exitCode === null ? `ended by signal ${out.signal ?? 'unknown'}` : `exit code ${out.exitCode}`;
    const body = ctx.deps.redactSecrets(truncateMiddle(out.output.trimEnd()));
    return {
      ok: out.exitCode === 0,
      content: `$ ${args.command}  (in ${where.rel})\n${status}\n${body || '(no output)'}`,
      summary: `${args.command}: ${status}`,
      error: out.exitCode === 0 ? undefined : status,
    };
  },
};
