import * as fs from 'node:fs';
import * as path from 'node:path';
import { Checkpoint } from '../core/agent/checkpoint';
import { defaultCheckpointDir } from '../core/agent/paths';
import { runAgent } from '../core/agent/run';
import { keyDecision } from '../core/model/keyPolicy';
import { NodeWorkspace } from '../core/context/nodeWorkspace';
import { Ledger } from '../core/cost/ledger';
import { defaultLedgerPath } from '../core/cost/paths';
import { budgetFromSettings } from '../core/cost/preflight';
import { formatUsd } from '../core/cost/pricing';
import type { AgentApprove, PonderEvent } from '../core/events';
import { discoverInstructions } from '../core/instructions/discover';
import type { Logger } from '../core/log';
import { isEffort } from '../core/model/effort';
import { applyServerWindow } from '../core/model/serverWindow';
import type { ReasoningEffort } from '../core/model/types';
import type { EndpointChoice } from '../core/run/types';
import { jsonLine, visibleControls as v } from '../core/terminalText';
import { flushTokenCache } from '../core/tokens';
import { ALL_TOOLS } from '../core/tools/registry';
import { createExcludeRule } from '../core/tools/walk';
import { endpointFromFlags, loadSettingsFile } from './askConfig';
import { askLine, TerminalRenderer, TtyApproval, ttyBudgetPrompt } from './askOutput';
import { EXIT, parseFlags, UsageError, type CliCommand, type CliIo } from './command';
import { checksStateFile, chooseChecks } from './agentChecks';
import { startWorkspaceMcp } from './mcpStart';

const USAGE = `Usage: ponder agent [--root DIR] [--approve none|edits|commands|all] [--max-cost USD] [--max-rounds N]
                    [--max-minutes N] [--check CMD]... [--endpoint ID | --base-url URL [--model M]] [--settings FILE]
                    [--api-key-env VAR] [--mcp] [--effort low|medium|high] [--jsonl] [--ledger FILE] TASK
       ponder agent --review ID|last [--root DIR]        the task's changes, file by file, with diffs
       ponder agent --undo ID|last [--root DIR] [--force] [--file PATH]...

The model works on TASK in DIR: reads code, changes files (applied at once, every task keeps a
checkpoint), runs the checks and fixes what fails, until the checks pass, it says it is done, or a
limit stops it.

  --root DIR         the workspace (default: the current directory); nothing outside it is read or written
  --approve WHAT     what asks first on this terminal: none, edits, commands (default: file changes apply,
                     commands ask), all. Without a terminal nothing can be approved: what asks is denied
  --max-cost USD     stop before a model turn would pass this spend (default: ponder.agent.maxCost, $2; 0: no cap).
                     Only enforced where the price is known ("pricing" in the profile, or a provider-reported cost).
                     ponder.budget.daily and .monthly (from the settings file) are checked before every turn too
  --max-rounds N     most model turns (default: ponder.agent.maxRounds, 40)
  --max-minutes N    wall time (default: ponder.agent.maxMinutes, 30)
  --check CMD        a check the agent runs without asking (repeatable). Default: ponder.agent.checks of a
                     --settings file, else your answer for this workspace: the checks the project defines
                     (package.json scripts, Makefile...) are proposed once on a terminal and the answer is
                     remembered in $PONDER_STATE_DIR/agent-checks.json, never in the repository. Without a
                     terminal, only --check or a remembered answer runs checks
  --propose-checks   propose the project's checks again (the remembered answer is replaced)
  --endpoint ID      a profile from "ponder.endpoints" in the settings file (else routing rules pick one)
  --base-url URL     any OpenAI-compatible server; --model names the model
  --settings FILE    VS Code settings.json with ponder.* settings (default: DIR/.vscode/settings.json;
                     from that default file endpoints are used, its checks only proposed, never its
                     approvals or allowed commands)
  --api-key-env VAR  read the API key from this environment variable (never printed)
  --mcp              start the MCP servers of DIR/.vscode/mcp.json (stdio and HTTP) for the task and offer
                     their tools; each call asks on this terminal unless "ponder.mcp.autoApprove" in a
                     --settings file names it (without a terminal: denied). The servers stop with the task
  --effort LEVEL     reasoning effort for every model turn (low, medium, high) where the endpoint takes one
  --jsonl            print every event as one JSON line on stdout (the same events as ponder ask)
  --ledger FILE      where the task's cost is recorded (default: $PONDER_LEDGER or ~/.config/ponder/ledger.jsonl)
  --review ID|last   show what a task changed (last: the newest task in DIR)
  --undo ID|last     put back every file the task changed; files edited since are skipped unless --force
  --file PATH        with --undo: only this file (repeatable)

Checkpoints live in $PONDER_STATE_DIR/checkpoints (default ~/.local/state/ponder/checkpoints).
Exit codes: 0 the checks pass or the model reported done (undo: everything restored), 1 failed or
stopped by a limit (undo: conflicts left), 2 bad usage or config.`;

const OPTIONS = {
  root: { type: 'string' }, approve: { type: 'string' }, 'max-cost': { type: 'string' }, 'max-rounds': { type: 'string' },
  'max-minutes': { type: 'string' }, check: { type: 'string', multiple: true }, endpoint: { type: 'string' },
  'base-url': { type: 'string' }, model: { type: 'string' }, provider: { type: 'string' }, settings: { type: 'string' },
  'api-key-env': { type: 'string' }, jsonl: { type: 'boolean' }, ledger: { type: 'string' }, mcp: { type: 'boolean' }, effort: { type: 'string' },
  'propose-checks': { type: 'boolean' }, review: { type: 'string' }, undo: { type: 'string' }, force: { type: 'boolean' }, file: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

const APPROVE: readonly AgentApprove[] = ['none', 'edits', 'commands', 'all'];

/** Overridable for tests: whether a person can answer prompts, and where answers come from. */
export interface AgentEnvironment { interactive: boolean; stdin: NodeJS.ReadableStream; color: boolean }

function terminal(): AgentEnvironment {
  return { interactive: !!process.stdin.isTTY && !!process.stderr.isTTY, stdin: process.stdin, color: !!process.stderr.isTTY && !process.env.NO_COLOR };
}

export const agentCommand: CliCommand = (argv, io) => runAgentCommand(argv, io, terminal());

export async function runAgentCommand(argv: string[], io: CliIo, env: AgentEnvironment): Promise<number> {
  let flags: ReturnType<typeof parseFlags<typeof OPTIONS>>;
  try {
    flags = parseFlags(argv, OPTIONS, true, 'agent');
  } catch (err) {
    io.err(`ponder agent: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  const f = flags.values;
  if (f.help) { io.out(USAGE + '\n'); return EXIT.ok; }
  try {
    const root = path.resolve(io.cwd, f.root ?? '.');
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--root "${f.root ?? root}" is not a directory`);
    const store = defaultCheckpointDir(io.env);
    if (f.review !== undefined || f.undo !== undefined) {
      if (f.review !== undefined && f.undo !== undefined) throw new UsageError('--review and --undo cannot be combined');
      if (flags.positionals.length) throw new UsageError('--review and --undo take no TASK');
      const cp = await findCheckpoint(store, root, (f.review ?? f.undo)!);
      return f.review !== undefined ? await review(cp, io) : await undo(cp, io, { force: !!f.force, files: f.file });
    }
    if (f.force || f.file) throw new UsageError('--force and --file go with --undo');
    const task = flags.positionals.join(' ').trim();
    if (!task) throw new UsageError('a TASK is required, e.g. ponder agent --check "npm test" "Fix the failing parser test"');
    return await runTask(task, root, store, f, io, env);
  } catch (err) {
    if (err instanceof UsageError) { io.err(`ponder agent: ${err.message}\n`); return EXIT.usage; }
    throw err;
  }
}

type Flags = ReturnType<typeof parseFlags<typeof OPTIONS>>['values'];

function positiveNumber(flag: string, raw: string | undefined, integer = false): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!raw.trim() || !Number.isFinite(n) || n < 0 || (integer && (!Number.isInteger(n) || n < 1))) {
    throw new UsageError(`${flag} "${raw}": give ${integer ? 'a whole number of at least 1' : 'a number of 0 or more'}, e.g. ${flag} ${integer ? '20' : '0.50'}`);
  }
  return n;
}

async function runTask(task: string, root: string, store: string, f: Flags, io: CliIo, env: AgentEnvironment): Promise<number> {
  if (f.approve !== undefined && !APPROVE.includes(f.approve as AgentApprove)) throw new UsageError(`--approve "${f.approve}": use none, edits, commands or all`);
  const maxCost = positiveNumber('--max-cost', f['max-cost']);
  const maxRounds = positiveNumber('--max-rounds', f['max-rounds'], true);
  const maxMinutes = positiveNumber('--max-minutes', f['max-minutes']);
  if (f.effort !== undefined && !isEffort(f.effort)) throw new UsageError(`--effort "${f.effort}": use low, medium or high`);
  const keyVar = f['api-key-env'];
  let apiKey: string | undefined;
  if (keyVar !== undefined) {
    apiKey = io.env[keyVar]?.trim();
    if (!apiKey) throw new UsageError(`--api-key-env ${keyVar}: the environment variable is unset or empty`);
    // Nothing started from here (MCP servers included) inherits the key; the agent's commands drop it by name too.
    if (io.env === process.env) delete process.env[keyVar];
  }
  const settingsFile = loadSettingsFile(root, f.settings);
  const explicit = f.settings !== undefined;
  const s = settingsFile.settings;
  const { choice } = endpointFromFlags({ endpoint: f.endpoint, 'base-url': f['base-url'], model: f.model, provider: f.provider, 'api-key-env': keyVar }, settingsFile);
  for (const w of settingsFile.warnings) io.err(`ponder agent: warning: ${w}\n`);

  // Checks: --check, a settings file the user named, else the user's answer for this workspace (per-user state).
  const repoChecks = !explicit && settingsFile.file ? { file: settingsFile.file, checks: s['ponder.agent.checks'] } : undefined;
  const { checks, said: checksSaid } = await chooseChecks({
    root, flags: f.check, ...(explicit && settingsFile.file ? { named: { file: settingsFile.file, checks: s['ponder.agent.checks'] } } : {}),
    ...(repoChecks ? { fromRepository: repoChecks } : {}), proposeAgain: !!f['propose-checks'], stateFile: checksStateFile(io.env),
    ...(env.interactive ? { ask: (question: string) => askLine(env.stdin, io.err, question) } : {}),
  });
  io.err(`ponder agent: ${checksSaid}\n`);
  // Approvals and allowed commands only from the user: flags, or a settings file they named.
  const approve = (f.approve ?? (explicit ? s['ponder.agent.approve'] : 'commands')) as AgentApprove;
  const allowedCommands = explicit ? s['ponder.agent.allowedCommands'] : [];
  const ledger = new Ledger(path.resolve(io.cwd, f.ledger ?? defaultLedgerPath(io.env)));
  const said = new Set<string>();
  const keyFor = (id: string): string | undefined => {
    if (!apiKey) return undefined;
    const profile = 'profile' in choice && choice.profile.id === id ? choice.profile : settingsFile.profiles.find((p) => p.id === id);
    if (!profile) return undefined;
    const fromRepository = !('profile' in choice) && !explicit && !!settingsFile.file;
    const d = keyDecision(profile, { fromRepository, namedByUser: f.endpoint === id, settingsFile: settingsFile.file, keySource: `--api-key-env ${keyVar}` });
    const note = d.send ? d.warning : d.reason;
    if (note && !said.has(id)) { said.add(id); io.err(`ponder agent: warning: ${note}\n`); }
    return d.send ? apiKey : undefined;
  };
  const instructionFiles = await discoverInstructions({
    roots: [{ name: path.basename(root), path: root }],
    enabled: {
      agents: s['ponder.instructions.agentsMd'], copilot: s['ponder.instructions.copilotInstructions'],
      githubInstructions: s['ponder.instructions.githubInstructions'], ponder: s['ponder.instructions.ponderInstructions'],
    },
    isExcluded: createExcludeRule(s['ponder.context.exclude']),
  });

  // MCP servers only with --mcp; their allow-list, like every approval here, only from a settings file the user named.
  const mcp = f.mcp ? await startWorkspaceMcp(root, io, { command: 'agent', allow: explicit ? s['ponder.mcp.autoApprove'] : [], reserved: new Set(ALL_TOOLS.map((t) => t.name)) }) : undefined;
  if (f.mcp && !mcp) return EXIT.usage;

  const printer = new AgentPrinter(io, new TerminalRenderer(io.out, io.err, env.color));
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  // One editor port for the task: the agent's tools and the context engine read the same folder.
  const port = new NodeWorkspace([root], undefined, { hideEnv: keyVar ? [keyVar] : [] });
  try {
    const result = await runAgent({
      task, root, checkpointDir: store, checks, approve, allowedCommands,
      endpoint: await withServerWindow(choice, 'profile' in choice ? keyFor(choice.profile.id) : undefined),
      getApiKey: async (id) => keyFor(id),
      host: port,
      approval: env.interactive ? new TtyApproval(env.stdin, io.err) : undefined,
      limits: {
        maxCost: maxCost ?? s['ponder.agent.maxCost'], maxRounds: maxRounds ?? s['ponder.agent.maxRounds'],
        maxTokens: s['ponder.agent.maxTokens'], maxMs: (maxMinutes ?? s['ponder.agent.maxMinutes']) * 60_000,
      },
      exclude: s['ponder.context.exclude'], instructionFiles,
      workspace: {
        port, name: path.basename(root), exclude: s['ponder.context.exclude'], maxFileSizeKB: s['ponder.context.maxFileSizeKB'],
        repoMap: s['ponder.context.repoMap'], timeLimitMs: s['ponder.context.timeLimitMs'],
      },
      reasoningEffort: f.effort as ReasoningEffort | undefined, externalTools: mcp?.tools, externalAutoApprove: mcp?.allowListed,
      recordTo: { ledger }, signal: controller.signal,
      // ponder.budget.daily / .monthly before every turn, as for ask (a person at a terminal may go on once).
      budget: { ledger, budget: budgetFromSettings(s), ...(env.interactive ? { confirm: ttyBudgetPrompt(env.stdin, io.err) } : {}) },
      onEvent: f.jsonl ? (e) => io.out(jsonLine(e) + '\n') : (e) => printer.render(e),
      logger: stderrLogger(io),
    });
    if (!f.jsonl && result.checkpoint && result.files.length) {
      io.err(`ponder: review: ponder agent --review ${result.taskId}${f.root ? ` --root ${v(root)}` : ''}   undo: ponder agent --undo ${result.taskId}${f.root ? ` --root ${v(root)}` : ''}\n`);
    }
    return result.ok ? EXIT.ok : EXIT.failed;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await mcp?.close();
    flushTokenCache();
  }
}

/** ask's renderer for the request's events, plus the agent's own: plan, files, checks, steps, the end. */
class AgentPrinter {
  constructor(private readonly io: CliIo, private readonly renderer: TerminalRenderer) {}

  render(e: PonderEvent): void {
    const err = this.io.err;
    switch (e.type) {
      case 'agent.task.start': {
        const l = e.limits;
        err(`ponder: agent task ${e.taskId} in ${v(e.root)} · approve: ${e.approve} · checks: ${e.checks.map((c) => v(c.command)).join(', ') || 'none'} · limits: ${l.maxRounds} turns, ${l.maxCost === null ? 'no cost cap' : `${formatUsd(l.maxCost)} cap`}, ${Math.round(l.maxMs / 60_000)} min\n`);
        break;
      }
      case 'agent.plan':
        err(`ponder: plan\n${e.items.map((i) => `  ${i.status === 'done' ? '[x]' : i.status === 'in_progress' ? '[~]' : '[ ]'} ${v(i.text)}`).join('\n')}\n`);
        break;
      case 'agent.file':
        err(`ponder: ${e.action} ${e.from ? `${v(e.from)} → ` : ''}${v(e.path)}${e.action === 'renamed' ? '' : ` (+${e.added} −${e.removed})`}\n`);
        break;
      case 'agent.check':
        if (e.state === 'running') err(`ponder: check "${v(e.name)}" running: $ ${v(e.command)}\n`);
        else err(`ponder: check "${v(e.name)}" ${e.state}${e.exitCode !== undefined && e.exitCode !== null ? ` (exit ${e.exitCode})` : ''}${e.ms !== undefined ? ` in ${(e.ms / 1000).toFixed(1)} s` : ''}\n`);
        break;
      case 'agent.step':
        err(`ponder: step ${e.step}: ${e.usage.prompt + e.usage.completion} tokens, ${formatUsd(e.cost)} · task so far ${e.totalTokens} tokens, ${formatUsd(e.totalCost)}\n`);
        break;
      case 'agent.condensed':
        err(`ponder: condensed ${e.outputs} older tool output${e.outputs === 1 ? '' : 's'} (${e.tokensBefore} → ${e.tokensAfter} prompt tokens of a ${e.window}-token window)\n`);
        break;
      case 'agent.task.end':
        err(`ponder: task ${e.reason}: ${v(e.message)}\nponder: ${e.files.length} file${e.files.length === 1 ? '' : 's'} changed${e.files.length ? ` (${e.files.map((x) => `${x.action} ${v(x.path)}`).join(', ')})` : ''} · ${e.rounds} turn${e.rounds === 1 ? '' : 's'} · ${e.usage.prompt + e.usage.completion} tokens · ${formatUsd(e.cost)}\n`);
        break;
      default:
        this.renderer.render(e);
    }
  }
}

async function findCheckpoint(store: string, root: string, id: string): Promise<Checkpoint> {
  if (id === 'last') {
    const newest = (await Checkpoint.list(store, { root }))[0];
    if (!newest) throw new UsageError(`no agent task has a checkpoint for ${root} (in ${store})`);
    return (await Checkpoint.open(store, newest.taskId))!;
  }
  const cp = await Checkpoint.open(store, id).catch(() => undefined);
  if (!cp) throw new UsageError(`no checkpoint "${id}" in ${store}; "ponder agent --review last" shows the newest task`);
  return cp;
}

async function review(cp: Checkpoint, io: CliIo): Promise<number> {
  const { unifiedDiff } = await import('../core/tools/diff');
  const changes = await cp.changes();
  io.out(`Task ${cp.id}${cp.task ? `: ${v(cp.task)}` : ''}\n${changes.length} file${changes.length === 1 ? '' : 's'} changed in ${v(cp.root)}\n`);
  for (const c of changes) {
    io.out(`\n${c.action} ${c.from ? `${v(c.from)} → ` : ''}${v(c.path)}${c.conflict ? '  (edited since the agent changed it)' : ''}\n`);
    if (c.action === 'renamed' && c.before && c.current && c.before.equals(c.current)) continue;
    const d = unifiedDiff(c.path, c.before?.toString('utf8') ?? '', c.current?.toString('utf8') ?? '', c.before !== null);
    const text = d.text.split('\n').map((line) => v(line)).join('\n');
    io.out(text.endsWith('\n') ? text : `${text}\n`);
  }
  return EXIT.ok;
}

async function undo(cp: Checkpoint, io: CliIo, opts: { force: boolean; files?: string[] }): Promise<number> {
  const report = await cp.undo({ ...(opts.files?.length ? { paths: opts.files } : {}), ...(opts.force ? { overwrite: true } : {}) });
  for (const p of report.restored) io.out(`restored ${v(p)}\n`);
  for (const p of report.removed) io.out(`removed ${v(p)}\n`);
  for (const c of report.conflicts) io.err(`ponder agent: kept ${v(c.path)}: ${c.why}; run again with --force to put it back anyway\n`);
  for (const x of report.failed) io.err(`ponder agent: could not undo ${v(x.path)} (${x.error})\n`);
  if (!report.restored.length && !report.removed.length && !report.conflicts.length && !report.failed.length) io.out(`nothing to undo for task ${cp.id}\n`);
  return report.conflicts.length || report.failed.length ? EXIT.failed : EXIT.ok;
}

function stderrLogger(io: CliIo): Logger {
  const line = (level: string) => (m: string | Error) => { if (level !== 'trace' && level !== 'debug') io.err(`ponder: ${level}: ${m instanceof Error ? m.message : m}\n`); };
  return { trace: line('trace'), debug: line('debug'), info: () => {}, warn: line('warning'), error: line('error') };
}

/** A local server's real window (vLLM's max_model_len) replaces an assumed one; failures change nothing. */
async function withServerWindow(choice: EndpointChoice, apiKey: string | undefined): Promise<EndpointChoice> {
  if (!('profile' in choice)) return choice;
  return { ...choice, profile: (await applyServerWindow(choice.profile, apiKey)).profile };
}
