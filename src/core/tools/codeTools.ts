import * as path from 'node:path';
import { z } from 'zod';
import { displayPath, pathRules, resolveWorkspacePath } from './pathSafety';
import { fail, searchWorkspace } from './readTools';
import type { ToolDefinition } from './types';
import { runGit } from '../safeGit';
import type { SymbolLocation } from '../editor/port';

/** Read-only tools about code: symbols, diagnostics, the working-tree diff. */

const FindSymbolArgs = z.object({
  name: z.string().min(1).regex(/^[\w$.#]+$/, 'must be an identifier such as parseRoute or Router.handle').describe('symbol name, e.g. "parseRoute"'),
  kind: z.enum(['definitions', 'references', 'both']).default('both'),
  limit: z.number().int().min(1).max(200).default(40),
}).strict();

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Lines that declare `name` in the common languages; good enough when no language server answers. */
function definitionPattern(name: string): RegExp {
  const n = escapeRegExp(name);
  return new RegExp(
    `(?:\\b(?:function\\*?|class|interface|type|enum|namespace|module|def|fn|func|struct|trait|const|let|var)\\s+${n}\\b)` +
    `|(?:^\\s*(?:export\\s+)?(?:public|private|protected|static|async|readonly|\\s)*${n}\\s*(?:<[^>]*>)?\\s*\\([^)]*\\)\\s*[:{])` +
    `|(?:\\b${n}\\s*[:=]\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*=>|\\w+\\s*=>))`,
  );
}

export const findSymbolTool: ToolDefinition<typeof FindSymbolArgs> = {
  name: 'find_symbol',
  kind: 'read',
  description: 'Find where a symbol is defined and where it is used. Uses the editor\'s language services when available, else a text search.',
  schema: FindSymbolArgs,
  async run(args, ctx) {
    const leaf = args.name.split(/[.#]/).pop() as string;
    let found: SymbolLocation[] | undefined;
    let source = 'language services';
    if (ctx.host.findSymbol) {
      try { found = await ctx.host.findSymbol(args.name, { kind: args.kind, limit: args.limit, signal: ctx.signal }); } catch { found = undefined; }
      // Language servers know nothing of Ponder's rules: secret and excluded files stay out.
      const root0 = ctx.host.roots()[0]?.path ?? '';
      found = found?.filter((f) => !ctx.deps.isSecretPath(f.path) && !ctx.deps.isExcluded?.(root0, f.path));
    }
    if (!found) {
      source = 'text search';
      found = [];
      if (!ctx.host.roots().length) return fail('no workspace folder is open');
      const def = definitionPattern(leaf);
      const word = new RegExp(`\\b${escapeRegExp(leaf)}\\b`);
      for (const root of ctx.host.roots()) {
        const hits = await searchWorkspace(ctx, root.path, root.path, word, { limit: args.limit * 4 });
        for (const h of hits.hits) {
          const kind = def.test(h.text) ? 'definition' : 'reference';
          if (args.kind === 'definitions' && kind !== 'definition') continue;
          if (args.kind === 'references' && kind !== 'reference') continue;
          found.push({ ...h, path: displayPath(ctx.host.roots(), root, h.path), kind });
        }
      }
    }
    found.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'definition' ? -1 : 1));
    const shown = found.slice(0, args.limit);
    if (shown.length === 0) return { ok: true, content: `No ${args.kind === 'both' ? 'definitions or references' : args.kind} of "${args.name}" found (${source}).`, summary: 'not found' };
    const defs = shown.filter((s) => s.kind === 'definition');
    const refs = shown.filter((s) => s.kind === 'reference');
    const out: string[] = [`"${args.name}" (${source}):`];
    if (defs.length) out.push('Definitions:', ...defs.map((d) => `${d.path}:${d.line}: ${d.text}`));
    if (refs.length) out.push('References:', ...refs.map((d) => `${d.path}:${d.line}: ${d.text}`));
    if (found.length > shown.length) out.push(`[… ${found.length - shown.length} more not shown (limit ${args.limit})]`);
    return { ok: true, content: ctx.deps.redactSecrets(out.join('\n')), summary: `${defs.length} definitions, ${refs.length} references` };
  },
};

const DiagnosticsArgs = z.object({
  path: z.string().optional().describe('file relative to the workspace root; omit for all files'),
}).strict();

export const getDiagnosticsTool: ToolDefinition<typeof DiagnosticsArgs> = {
  name: 'get_diagnostics',
  kind: 'read',
  description: 'Errors and warnings the editor reports (compiler, linter), for one file or the whole workspace.',
  schema: DiagnosticsArgs,
  available: (host) => typeof host.diagnostics === 'function',
  async run(args, ctx) {
    let rel: string | undefined;
    let abs: string | undefined;
    if (args.path) {
      const where = await resolveWorkspacePath(ctx.host.roots(), args.path, pathRules(ctx.deps));
      if (!where.ok) return fail(where.reason);
      rel = where.rel;
      abs = where.abs;
    }
    const roots = ctx.host.roots();
    // The port names files by absolute path; the model gets them as workspace paths, and nothing outside the folders.
    const shown = (file: string): string | undefined => {
      if (rel !== undefined) return rel;
      for (const r of roots) {
        const inRoot = path.relative(r.path, file);
        if (inRoot && !inRoot.startsWith('..') && !path.isAbsolute(inRoot)) return displayPath(roots, r, inRoot.split(path.sep).join('/'));
      }
      return undefined;
    };
    const diags = ((await ctx.host.diagnostics?.(abs)) ?? []).flatMap((d) => {
      const p = shown(d.path);
      return p === undefined ? [] : [{ ...d, path: p }];
    });
    if (diags.length === 0) return { ok: true, content: `No problems reported${rel ? ` in ${rel}` : ''}.`, summary: 'no problems' };
    const lines = diags.slice(0, 200).map((d) => `${d.path}:${d.line}${d.column ? ':' + d.column : ''} ${d.severity}${d.source ? ` (${d.source})` : ''}: ${d.message}`);
    if (diags.length > 200) lines.push(`[… ${diags.length - 200} more]`);
    const errors = diags.filter((d) => d.severity === 'error').length;
    return { ok: true, content: lines.join('\n'), summary: `${errors} errors, ${diags.length - errors} other` };
  },
};

const GitDiffArgs = z.object({
  path: z.string().optional().describe('limit the diff to this file or directory'),
  staged: z.boolean().default(false).describe('the staged changes instead of the unstaged ones'),
}).strict();

const GIT_TIMEOUT_MS = 5000;


/** Diff sections of secret files are replaced by a line saying they were withheld. */
export function withholdSecretSections(diff: string, isSecretPath: (rel: string) => boolean): { text: string; withheld: string[] } {
  const withheld: string[] = [];
  const sections = diff.split(/(?=^diff --git )/m);
  const out = sections.map((s) => {
    const m = /^diff --git a\/(.+?) b\/(.+)$/m.exec(s);
    if (m && (isSecretPath(m[1]) || isSecretPath(m[2]))) {
      withheld.push(m[2]);
      return `diff --git a/${m[1]} b/${m[2]}\n[diff withheld: secret or excluded file]\n`;
    }
    return s;
  });
  return { text: out.join(''), withheld };
}

export const gitDiffTool: ToolDefinition<typeof GitDiffArgs> = {
  name: 'git_diff',
  kind: 'read',
  description: 'The working-tree diff (git diff), optionally staged or limited to a path.',
  schema: GitDiffArgs,
  async run(args, ctx) {
    const root = ctx.host.roots()[0];
    if (!root) return fail('no workspace folder is open');
    let scope = '.';
    let cwd = root.path;
    let folder = root.name;
    if (args.path) {
      // Pathspec magic (":(top)", ":/") would reach above the workspace folder.
      if (args.path.startsWith(':')) return fail(`"${args.path}" starts with ":" (git pathspec magic); give a plain path inside the workspace`);
      const where = await resolveWorkspacePath(ctx.host.roots(), args.path, { ...pathRules(ctx.deps), allowMissing: true });
      if (!where.ok) return fail(where.reason);
      scope = where.inRoot;
      cwd = where.root.path;
      folder = where.root.name;
    }
    const t0 = Date.now();
    // --relative: only this folder's changes, paths relative to it, even inside a larger repository;
    // pathspecs are literal (runGit), so the scope cannot name anything but a path.
    const r = await runGit(cwd, ['diff', '--no-color', '--relative', ...(args.staged ? ['--staged'] : []), '--', scope], { timeoutMs: GIT_TIMEOUT_MS, signal: ctx.signal });
    if (r.error && (r.error as { killed?: boolean }).killed) return fail(`git diff took longer than ${GIT_TIMEOUT_MS / 1000} s and was stopped`);
    if (r.error?.code === 'ENOENT') return fail('git is not installed or not on PATH');
    if (r.code !== 0) return fail(`git diff failed: ${r.stderr.trim().split('\n')[0] || 'exit ' + r.code} (is the workspace a git repository?)`);
    if (!r.stdout.trim()) return { ok: true, content: `No ${args.staged ? 'staged' : 'unstaged'} changes${scope !== '.' ? ` in ${scope}` : ''}.`, summary: 'no changes' };
    const { text, withheld } = withholdSecretSections(r.stdout, (rel) => ctx.deps.isSecretPath(rel) || !!ctx.deps.isExcluded?.(cwd, rel));
    const files = (text.match(/^diff --git /gm) ?? []).length;
    const where = ctx.host.roots().length > 1 ? `In folder "${folder}" (paths below are relative to it):\n` : '';
    return { ok: true, content: where + ctx.deps.redactSecrets(text), summary: `${files} file${files === 1 ? '' : 's'} changed${withheld.length ? `, ${withheld.length} withheld` : ''} (${Date.now() - t0} ms)` };
  },
};
