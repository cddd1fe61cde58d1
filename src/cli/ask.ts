import * as fs from 'node:fs';
import * as path from 'node:path';
import { flushTokenCache } from '../core/tokens';
import { NodeWorkspace } from '../core/context/nodeWorkspace';
import { Ledger } from '../core/cost/ledger';
import { defaultLedgerPath } from '../core/cost/paths';
import { jsonLine } from '../core/terminalText';
import { keyDecision } from '../core/model/keyPolicy';
import type { Logger } from '../core/log';
import { applyServerWindow } from '../core/model/serverWindow';
import { requestOptionsFromSettings } from '../core/run/fromSettings';
import { runRequest } from '../core/run/runRequest';
import type { EndpointChoice } from '../core/run/types';
import { ToolSession, type ToolsEnabled } from '../core/tools/types';
import { endpointFromFlags, loadSettingsFile } from './askConfig';
import { selectionFromFlags } from './selectionFlag';
import { discoverInstructions } from '../core/instructions/discover';
import { isEffort } from '../core/model/effort';
import type { ReasoningEffort } from '../core/model/types';
import { ALL_TOOLS } from '../core/tools/registry';
import type { McpSession } from './mcp';
import { startWorkspaceMcp } from './mcpStart';
import { TerminalRenderer, TtyApproval, ttyBudgetPrompt } from './askOutput';
import { EXIT, parseFlags, UsageError, type CliCommand, type CliIo } from './command';

const USAGE = `Usage: ponder ask [--endpoint ID | --base-url URL [--model M] [--provider P]] [--settings FILE]
                  [--api-key-env VAR] [--root DIR] [--file PATH [--selection START:END]] [--budget N]
                  [--tools none|read|all] [--mcp] [--effort low|medium|high] [--jsonl] [--ledger FILE] QUESTION

  --endpoint ID      a profile from "ponder.endpoints" in the settings file (else routing rules pick one)
  --base-url URL     any OpenAI-compatible server; --model names the model (default: what it serves)
  --provider P       how to talk to --base-url: foundry, openrouter, fireworks, baseten, vllm, openai-compatible
                     (default: from the host: *.services.ai.azure.com, *.openai.azure.com are foundry)
  --settings FILE    VS Code settings.json with ponder.* settings (default: DIR/.vscode/settings.json)
  --api-key-env VAR  read the API key from this environment variable (never printed)
  --root DIR         the workspace to pack context from and let tools see (default: the current directory)
  --file PATH        the file the question is about (relative to DIR)
  --selection S:E    its 1-based lines, inclusive (e.g. 20:24): named and quoted verbatim in the prompt;
                     lines outside the file are a usage error
  --budget N         tokens of repository context (default: the window minus output and prompt)
  --tools            none | read (default; none if the settings say so) | all: edits and commands,
                     each confirmed on an interactive terminal (otherwise denied)
  --mcp              start the MCP servers of DIR/.vscode/mcp.json (stdio and HTTP) and offer their tools;
                     each call is confirmed on an interactive terminal unless "ponder.mcp.autoApprove"
                     names it (server/tool or server/*); otherwise denied
  --effort LEVEL     reasoning effort for this request (low, medium, high) where the endpoint takes one
  --jsonl            print every event as one JSON line on stdout
  --ledger FILE      where the request's cost is recorded (default: $PONDER_LEDGER or ~/.config/ponder/ledger.jsonl)

Exit codes: 0 done, 1 the request failed (the error says why), 2 bad usage or config.`;

const OPTIONS = {
  endpoint: { type: 'string' }, 'base-url': { type: 'string' }, model: { type: 'string' }, provider: { type: 'string' },
  settings: { type: 'string' }, 'api-key-env': { type: 'string' }, root: { type: 'string' },
  file: { type: 'string' }, selection: { type: 'string' }, budget: { type: 'string' }, tools: { type: 'string' },
  jsonl: { type: 'boolean' }, mcp: { type: 'boolean' }, effort: { type: 'string' }, ledger: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** Overridable for tests: whether a person can answer approval prompts, and where answers come from. */
export interface AskEnvironment { interactive: boolean; stdin: NodeJS.ReadableStream; color: boolean }

function terminal(): AskEnvironment {
  return { interactive: !!process.stdin.isTTY && !!process.stderr.isTTY, stdin: process.stdin, color: !!process.stderr.isTTY && !process.env.NO_COLOR };
}

function stderrLogger(io: CliIo): Logger {
  const line = (level: string) => (m: string | Error) => { if (level !== 'trace' && level !== 'debug') io.err(`ponder: ${level}: ${m instanceof Error ? m.message : m}\n`); };
  return { trace: line('trace'), debug: line('debug'), info: () => {}, warn: line('warning'), error: line('error') };
}

export const askCommand: CliCommand = (argv, io) => runAsk(argv, io, terminal());

export async function runAsk(argv: string[], io: CliIo, env: AskEnvironment): Promise<number> {
  let flags: ReturnType<typeof parseFlags<typeof OPTIONS>>;
  try {
    flags = parseFlags(argv, OPTIONS, true, 'ask');
  } catch (err) {
    io.err(`ponder ask: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  const f = flags.values;
  if (f.help) { io.out(USAGE + '\n'); return EXIT.ok; }
  const question = flags.positionals.join(' ').trim();

  let prepared: Awaited<ReturnType<typeof prepare>>;
  try {
    if (!question) throw new UsageError('a QUESTION is required, e.g. ponder ask "How is the config parsed?"');
    prepared = await prepare(f, io);
  } catch (err) {
    if (err instanceof UsageError) { io.err(`ponder ask: ${err.message}\n`); return EXIT.usage; }
    throw err;
  }
  const { root, choice, tools, apiKey, settings, selection, file, ledger, warnings, settingsFile, keyVar, endpointFlag, explicitSettings, effort } = prepared;
  for (const w of warnings) io.err(`ponder ask: warning: ${w}\n`);
  if (!('profile' in choice) && settingsFile.file) io.err(`ponder ask: endpoints from ${settingsFile.file}${explicitSettings ? '' : " (the repository's own settings)"}\n`);
  const said = new Set<string>();
  const keyFor = (id: string): string | undefined => {
    if (!apiKey) return undefined;
    const profile = 'profile' in choice && choice.profile.id === id ? choice.profile : settingsFile.profiles.find((p) => p.id === id);
    if (!profile) return undefined;
    const fromRepository = !('profile' in choice) && !explicitSettings && !!settingsFile.file;
    const d = keyDecision(profile, { fromRepository, namedByUser: endpointFlag === id, settingsFile: settingsFile.file, keySource: `--api-key-env ${keyVar}` });
    const note = d.send ? d.warning : d.reason;
    if (note && !said.has(id)) { said.add(id); io.err(`ponder ask: warning: ${note}\n`); }
    return d.send ? apiKey : undefined;
  };
  // The same settings-to-request mapping as the Chat view; the flags and the terminal decide the rest below.
  const options = requestOptionsFromSettings(settings, { trusted: true });
  const instructionFiles = await discoverInstructions({
    roots: [{ name: path.basename(root), path: root }], activeFile: file ? path.resolve(root, file) : undefined,
    ...options.instructions,
  });
  let mcp: McpSession | undefined;
  if (f.mcp) {
    mcp = await startWorkspaceMcp(root, io, { command: 'ask', allow: settings['ponder.mcp.autoApprove'], reserved: new Set(ALL_TOOLS.map((t) => t.name)) });
    if (!mcp) return EXIT.usage;
  }

  const renderer = new TerminalRenderer(io.out, io.err, env.color);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  // One editor port over the folder: the context engine reads through it, the tools read, write and run through it.
  const port = new NodeWorkspace([root], undefined, { hideEnv: keyVar ? [keyVar] : [] });
  try {
    const result = await runRequest({
      command: 'ask', prompt: question, endpoint: await withServerWindow(choice, 'profile' in choice ? keyFor(choice.profile.id) : undefined), instructionFiles, reasoningEffort: effort,
      getApiKey: async (id) => keyFor(id),
      historyTokens: options.historyTokens,
      workspace: { port, activeFile: file, selection, name: path.basename(root), ...options.workspace },
      contextBudget: f.budget !== undefined ? Number(f.budget) : options.contextBudget,
      tools: {
        ...options.tools,
        // --tools (read unless the settings say none); only MCP tools the settings name are auto-approved, never Ponder's own.
        enabled: tools, autoApprove: mcp?.allowListed ?? [], autoApproveSetting: 'ponder.mcp.autoApprove',
        host: port,
        // Edits and commands need a person at a terminal; otherwise every such call is denied.
        approval: (tools === 'all' || mcp?.tools.length) && env.interactive ? new TtyApproval(env.stdin, io.err) : undefined,
        session: new ToolSession(), external: mcp?.tools,
      },
      // Over budget: a person at a terminal chooses; otherwise the request is refused.
      budget: { ledger, budget: options.budget, confirm: env.interactive ? ttyBudgetPrompt(env.stdin, io.err) : undefined },
      recordTo: { ledger },
      signal: controller.signal,
      onEvent: f.jsonl ? (e) => io.out(jsonLine(e) + '\n') : (e) => renderer.render(e),
      logger: stderrLogger(io),
    });
    return result.finishReason === 'stop' || result.finishReason === 'length' ? EXIT.ok : EXIT.failed;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await mcp?.close();
    flushTokenCache();
  }
}

async function prepare(f: Record<string, string | boolean | undefined>, io: CliIo) {
  const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
  const root = path.resolve(io.cwd, str('root') ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--root "${str('root') ?? root}" is not a directory`);
  const flagTools = str('tools');
  if (flagTools !== undefined && !['none', 'read', 'all'].includes(flagTools)) throw new UsageError(`--tools "${flagTools}": use none, read or all`);
  const budget = str('budget');
  if (budget !== undefined && !(/^\d+$/.test(budget) && Number(budget) > 0)) throw new UsageError(`--budget "${budget}": give a positive number of tokens, e.g. --budget 8000`);
  const { activeFile: file, selection } = selectionFromFlags(root, str('file'), str('selection'));
  const keyVar = str('api-key-env');
  let apiKey: string | undefined;
  if (keyVar !== undefined) {
    apiKey = io.env[keyVar]?.trim();
    if (!apiKey) throw new UsageError(`--api-key-env ${keyVar}: the environment variable is unset or empty`);
  }
  const settingsFile = loadSettingsFile(root, str('settings'));
  const { choice } = endpointFromFlags({ endpoint: str('endpoint'), 'base-url': str('base-url'), model: str('model'), provider: str('provider'), 'api-key-env': keyVar }, settingsFile);
  const effort = str('effort');
  if (effort !== undefined && !isEffort(effort)) throw new UsageError(`--effort "${effort}": use low, medium or high`);
  const ledger = new Ledger(path.resolve(io.cwd, str('ledger') ?? defaultLedgerPath(io.env)));
  // Edits and commands only with an explicit --tools all; a settings file may narrow to none.
  const tools = (flagTools ?? (settingsFile.settings['ponder.tools.enabled'] === 'none' ? 'none' : 'read')) as ToolsEnabled;
  return { effort: effort as ReasoningEffort | undefined, root, tools, selection, file, apiKey, choice, settings: settingsFile.settings, warnings: settingsFile.warnings, ledger, settingsFile, keyVar, endpointFlag: str('endpoint'), explicitSettings: str('settings') !== undefined };
}

/** A local server's real window (vLLM's max_model_len) replaces an assumed one; failures change nothing. */
async function withServerWindow(choice: EndpointChoice, apiKey: string | undefined): Promise<EndpointChoice> {
  if (!('profile' in choice)) return choice;
  return { ...choice, profile: (await applyServerWindow(choice.profile, apiKey)).profile };
}
