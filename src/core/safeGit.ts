import type { execFile as ExecFile } from 'node:child_process';

/**
 * The one way Ponder runs git. A repository's own configuration can name programs that git runs
 * while reading (an fsmonitor hook, clean/smudge filters, diff drivers and textconv, a pager,
 * hooks, credential helpers, a signature checker); a hostile clone would run them the moment
 * context is packed. So every call switches those off on the command line, which overrides the
 * repository's config, and never prompts.
 *
 * Filter drivers have names the repository chooses, so their names are read first (`git config`
 * only reads files) and each one's programs are blanked: an empty command is "no filter".
 * Git's own check that the repository belongs to this user (safe.directory) stays on.
 */

export interface GitResult {
  /** Exit code; null when git did not run to the end (missing, killed, aborted). */
  code: number | null;
  stdout: string;
  stderr: string;
  error?: NodeJS.ErrnoException & { killed?: boolean };
}

export interface GitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  maxBuffer?: number;
}

/** Configuration given on every call; it overrides the repository's own. */
export const SAFE_GIT_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
  ['core.pager', 'cat'],
  ['core.askPass', ''],
  ['credential.helper', ''],
  ['diff.external', ''],
  ['log.showSignature', 'false'],
  ['diff.ignoreSubmodules', 'all'],
  ['status.submoduleSummary', 'false'],
  ['submodule.recurse', 'false'],
  ['protocol.allow', 'never'],
];

/** Environment for git: no prompts, no pager, no inherited redirection to another repository or program. */
export function safeGitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    // GIT_DIR and friends from a calling hook would point git elsewhere; GIT_EXTERNAL_DIFF and
    // GIT_PAGER run programs; GIT_CONFIG_* is where the settings below go.
    if (/^GIT_/.test(k)) continue;
    env[k] = v;
  }
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_PAGER = 'cat';
  env.PAGER = 'cat';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_ASKPASS = '';
  env.SSH_ASKPASS = '';
  return env;
}

function execFileOf(): typeof ExecFile {
  // Loaded on first use: a checkout without .git never pays for child_process.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:child_process') as { execFile: typeof ExecFile }).execFile;
}

function exec(cwd: string, args: string[], opts: GitOptions, config: Array<[string, string]> = []): Promise<GitResult> {
  const env = safeGitEnv();
  // Given through the environment rather than `-c`: a key here may contain "=" (a driver name
  // the repository chose), which `-c key=value` would split at the wrong place.
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([k, v], i) => { env[`GIT_CONFIG_KEY_${i}`] = k; env[`GIT_CONFIG_VALUE_${i}`] = v; });
  return new Promise((resolve) => {
    execFileOf()('git', args, { cwd, timeout: opts.timeoutMs, maxBuffer: opts.maxBuffer ?? 16 << 20, signal: opts.signal, windowsHide: true, env }, (error, stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { killed?: boolean; code?: string | number }) | null;
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout: String(stdout), stderr: String(stderr), error: err ?? undefined });
    });
  });
}

const filterMemo = new Map<string, { at: number; value: Promise<string[]> }>();

/** Names of the filter drivers the repository configures (`filter.<name>.*`). */
function filterDrivers(cwd: string, opts: GitOptions): Promise<string[]> {
  const hit = filterMemo.get(cwd);
  if (hit && Date.now() - hit.at < 5000) return hit.value;
  if (filterMemo.size > 200) filterMemo.clear();
  const value = exec(cwd, ['--no-pager', 'config', '-z', '--name-only', '--get-regexp', '^filter\\.'], opts).then((r) => {
    const names = new Set<string>();
    for (const key of r.stdout.split('\0')) {
      const m = /^filter\.(.+)\.[^.]+$/s.exec(key.trim());
      if (m) names.add(m[1]);
    }
    return [...names];
  });
  filterMemo.set(cwd, { at: Date.now(), value });
  return value;
}

/** The configuration that switches off what the repository could make git run. */
export async function safeGitConfig(cwd: string, opts: GitOptions): Promise<Array<[string, string]>> {
  const out: Array<[string, string]> = SAFE_GIT_CONFIG.map(([k, v]) => [k, v]);
  for (const name of await filterDrivers(cwd, opts)) {
    for (const k of ['clean', 'smudge', 'process']) out.push([`filter.${name}.${k}`, '']);
    out.push([`filter.${name}.required`, 'false']);
  }
  return out;
}

/**
 * Runs `git <args>` in `cwd` with the repository's program-running configuration off, pathspecs
 * taken literally, no pager and no prompt. Diff-like commands should also pass `--no-ext-diff`
 * and `--no-textconv` (added here for diff, log and show).
 */
export async function runGit(cwd: string, args: string[], opts: GitOptions): Promise<GitResult> {
  const [sub, ...rest] = args;
  const diffy = sub === 'diff' || sub === 'log' || sub === 'show';
  const extra = diffy ? ['--no-ext-diff', '--no-textconv'] : [];
  return exec(cwd, ['--no-pager', '--literal-pathspecs', sub, ...extra, ...rest], opts, await safeGitConfig(cwd, opts));
}
