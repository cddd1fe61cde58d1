import * as fs from 'node:fs/promises';
import { z } from 'zod';
import { unifiedDiff } from '../tools/diff';
import { pathRules, resolveWorkspacePath, type PathCheck } from '../tools/pathSafety';
import { fail, readWorkspaceText } from '../tools/readTools';
import { applyReplacements } from '../tools/replace';
import type { ApprovalDecision, ToolContext, ToolDefinition, ToolOutput } from '../tools/types';
import type { AgentSession } from './session';
import type { EditOutcome, EditProposal } from '../editor/port';

/**
 * The agent's file tools: create or rewrite, edit by exact replacement, rename, delete. Each
 * resolves its paths inside the workspace (secrets, .ponderignore and ponder.context.exclude
 * refused as for every tool; .git never touched), asks where the policy says so, records the
 * path in the checkpoint BEFORE changing it, applies the change, then records what it left and
 * emits agent.file with the diff. Git-ignored folders (dist/, build/) are files like any other.
 */

const Path = z.string().min(1).describe('file path relative to the workspace root, e.g. "src/index.ts"');
const WriteArgs = z.object({ path: Path, content: z.string().describe('the whole new content of the file') }).strict();
const EditArgs = z.object({
  path: Path,
  edits: z.array(z.object({
    old_text: z.string().min(1).describe('exact text to replace, copied from the file, with enough lines to be unique'),
    new_text: z.string().describe('the replacement text'),
  }).strict()).min(1).max(50).describe('exact replacements, applied in order'),
}).strict();
const RenameArgs = z.object({ from: Path, to: Path.describe('the new path relative to the workspace root') }).strict();
const DeleteArgs = z.object({ path: Path }).strict();

type Resolved = Extract<PathCheck, { ok: true }>;

async function resolve(ctx: ToolContext, rel: string, allowMissing: boolean): Promise<Resolved | ToolOutput> {
  const where = await resolveWorkspacePath(ctx.host.roots(), rel, { ...pathRules(ctx.deps), allowMissing });
  if (!where.ok) return fail(where.reason);
  if (where.inRoot.split('/').includes('.git')) return fail(`"${where.rel}" is inside .git: the agent never changes the repository's own database or hooks`);
  if (where.isDirectory) return fail(`"${where.rel}" is a directory, not a file`);
  return where;
}

const isResolved = (r: Resolved | ToolOutput): r is Resolved => 'abs' in r;

function denied(what: string, decision: ApprovalDecision): ToolOutput {
  const who = decision.by === 'user' ? 'the user denied it' : `not allowed: ${decision.reason ?? 'by policy'}`;
  return { ok: false, content: `Denied: ${what} was NOT made (${who}); nothing was changed. Do not try the same change again; continue without it or explain what you need.`, summary: `denied: ${what}`, error: 'denied' };
}

function notApplied(what: string, outcome: EditOutcome): ToolOutput {
  return { ok: false, content: `${what} was not applied${outcome.message ? `: ${outcome.message}` : ''}. Nothing was changed.`, summary: `not applied: ${what}`, error: outcome.message ?? 'not applied' };
}

async function readBytes(abs: string): Promise<Buffer | null> {
  try { return await fs.readFile(abs); } catch { return null; }
}

/** Shared by write_file and edit_file: approve, checkpoint, write, record. */
async function applyText(s: AgentSession, ctx: ToolContext, where: Resolved, before: string, after: string): Promise<ToolOutput> {
  if (where.exists && after === before) return fail(`the change does not alter ${where.rel}`);
  const diff = unifiedDiff(where.rel, before.replace(/\r\n/g, '\n'), after.replace(/\r\n/g, '\n'), where.exists);
  const proposal: EditProposal = { path: where.rel, root: where.root.path, absPath: where.abs, exists: where.exists, before, after, diff: diff.text, added: diff.added, removed: diff.removed };
  const decision = await ctx.approve('write', { type: 'edit', proposal });
  if (!decision.allow) return denied(`the change to ${where.rel}`, decision);
  await s.checkpoint.before(where.inRoot);
  const outcome = await ctx.host.applyEdit(proposal);
  const left = await readBytes(where.abs);
  await s.checkpoint.after(where.inRoot, left);
  if (!outcome.applied) return notApplied(`The change to ${where.rel}`, outcome);
  const action = where.exists ? 'edited' : 'created';
  record(s, { path: where.rel, action }, diff);
  return { ok: true, content: `${where.exists ? 'Edited' : 'Created'} ${where.rel} (+${diff.added} −${diff.removed} lines).`, summary: `${action} ${where.rel} (+${diff.added} −${diff.removed})` };
}

function record(s: AgentSession, change: { path: string; action: 'created' | 'edited' | 'renamed' | 'deleted'; from?: string }, diff: { text: string; added: number; removed: number }): void {
  s.changes.push(change);
  s.changeSeq++;
  s.emitter.emit({ type: 'agent.file', path: change.path, action: change.action, ...(change.from ? { from: change.from } : {}), diff: diff.text, added: diff.added, removed: diff.removed });
}

async function currentText(ctx: ToolContext, where: Resolved): Promise<{ ok: true; text: string } | { ok: false; out: ToolOutput }> {
  if (!where.exists) return { ok: true, text: '' };
  const read = await readWorkspaceText(ctx, where.abs, where.rel);
  return read.ok ? { ok: true, text: read.text } : { ok: false, out: fail(read.error) };
}

export function fileTools(s: AgentSession): ToolDefinition[] {
  const writeFile: ToolDefinition<typeof WriteArgs> = {
    name: 'write_file', kind: 'write', schema: WriteArgs,
    description: 'Create a file, or replace a file\'s whole content. Applied at once (Ponder keeps a checkpoint the user can undo). Prefer edit_file for changes to part of an existing file.',
    async run(args, ctx) {
      const where = await resolve(ctx, args.path, true);
      if (!isResolved(where)) return where;
      const now = await currentText(ctx, where);
      if (!now.ok) return now.out;
      return applyText(s, ctx, where, now.text, args.content);
    },
  };
  const editFile: ToolDefinition<typeof EditArgs> = {
    name: 'edit_file', kind: 'write', schema: EditArgs,
    description: 'Change part of an existing file by exact replacements: each old_text must occur exactly once (copy it from read_file, whitespace included). Applied at once under the task\'s checkpoint.',
    async run(args, ctx) {
      const where = await resolve(ctx, args.path, true);
      if (!isResolved(where)) return where;
      if (!where.exists) return fail(`"${where.rel}" does not exist, so there is no text to replace; use write_file to create it`);
      const now = await currentText(ctx, where);
      if (!now.ok) return now.out;
      const replaced = applyReplacements(now.text, args.edits, where.rel);
      if (!replaced.ok) return fail(replaced.error);
      return applyText(s, ctx, where, now.text, replaced.after);
    },
  };
  const renameFile: ToolDefinition<typeof RenameArgs> = {
    name: 'rename_file', kind: 'write', schema: RenameArgs,
    description: 'Rename or move a file inside the workspace (folders are created). Refused when the target exists. Update the imports that name it yourself.',
    async run(args, ctx) {
      const from = await resolve(ctx, args.from, false);
      if (!isResolved(from)) return from;
      const to = await resolve(ctx, args.to, true);
      if (!isResolved(to)) return to;
      if (to.exists) return fail(`"${to.rel}" already exists; delete it first or choose another name`);
      const diff = { text: `rename ${from.rel} → ${to.rel}\n`, added: 0, removed: 0 };
      const text = await currentText(ctx, from);
      const body = text.ok ? text.text : '';
      const proposal: EditProposal = { path: to.rel, root: to.root.path, absPath: to.abs, exists: false, before: body, after: body, diff: diff.text, added: 0, removed: 0, operation: 'rename', from: from.rel };
      const decision = await ctx.approve('write', { type: 'edit', proposal });
      if (!decision.allow) return denied(`renaming ${from.rel} to ${to.rel}`, decision);
      await s.checkpoint.before(from.inRoot);
      await s.checkpoint.before(to.inRoot);
      const outcome = await ctx.host.renameFile(from.abs, to.abs);
      await s.checkpoint.after(from.inRoot, await readBytes(from.abs));
      await s.checkpoint.after(to.inRoot, await readBytes(to.abs));
      if (!outcome.applied) return notApplied(`Renaming ${from.rel} to ${to.rel}`, outcome);
      await s.checkpoint.renamed(from.inRoot, to.inRoot);
      record(s, { path: to.rel, action: 'renamed', from: from.rel }, diff);
      return { ok: true, content: `Renamed ${from.rel} to ${to.rel}.`, summary: `renamed ${from.rel} → ${to.rel}` };
    },
  };
  const deleteFile: ToolDefinition<typeof DeleteArgs> = {
    name: 'delete_file', kind: 'write', schema: DeleteArgs,
    description: 'Delete a file of the workspace (Ponder keeps its content in the task\'s checkpoint, so the user can undo).',
    async run(args, ctx) {
      const where = await resolve(ctx, args.path, false);
      if (!isResolved(where)) return where;
      const now = await currentText(ctx, where);
      const before = now.ok ? now.text : '';
      const diff = now.ok ? unifiedDiff(where.rel, before.replace(/\r\n/g, '\n'), '', true) : { text: `delete ${where.rel} (binary)\n`, added: 0, removed: 0 };
      const proposal: EditProposal = { path: where.rel, root: where.root.path, absPath: where.abs, exists: true, before, after: '', diff: diff.text, added: diff.added, removed: diff.removed, operation: 'delete' };
      const decision = await ctx.approve('write', { type: 'edit', proposal });
      if (!decision.allow) return denied(`deleting ${where.rel}`, decision);
      await s.checkpoint.before(where.inRoot);
      const outcome = await ctx.host.deleteFile(where.abs);
      await s.checkpoint.after(where.inRoot, await readBytes(where.abs));
      if (!outcome.applied) return notApplied(`Deleting ${where.rel}`, outcome);
      record(s, { path: where.rel, action: 'deleted' }, diff);
      return { ok: true, content: `Deleted ${where.rel}.`, summary: `deleted ${where.rel}` };
    },
  };
  return [writeFile, editFile, renameFile, deleteFile] as ToolDefinition[];
}
