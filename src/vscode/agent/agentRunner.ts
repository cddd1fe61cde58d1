import * as vscode from 'vscode';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Ledger } from '../../core/cost/ledger';
import type { PonderEvent } from '../../core/events';
import { discoverChecks, runAgent, type AgentResult } from '../../core/agent';
import type { PonderServices } from '../services';
import { budgetFromSettings } from '../../core/cost/preflight';
import { VsCodeApprovalPort, quickPickPrompt } from '../chat/approvalPrompt';
import { askBudgetDecision } from '../spend';
import type { ApprovalBroker, ApprovalPrompt } from '../chat/approvals';
import type { ChatRunner } from '../chat/chatRunner';
import type { EditProposals } from '../chat/editProposals';
import type { AgentCheckpoints } from './checkpoints';
import { checksForTask } from './checksProposal';
import type { EditorPort } from '../../core/editor/port';

export const UNTRUSTED_AGENT = 'This workspace is not trusted (Restricted Mode), so Ponder has no agent here: an agent edits files and runs commands, and nothing from an untrusted repository may do that. Trust the folder (Manage Workspace Trust) to use the agent; until then @ponder answers questions without tools.';

/** What the rest of the adapter hands the agent: the chat's runner, approvals and credentials. */
export interface AgentDeps {
  runner: ChatRunner;
  broker: ApprovalBroker;
  proposals: EditProposals;
  getApiKey(profileId: string): Promise<string | undefined>;
  ledger(): Ledger | undefined;
  /** The window's workspace port (open documents win): the task's first message gets the packed context. */
  workspacePort(): EditorPort | undefined;
  checkpoints: AgentCheckpoints;
  /** Overridable by tests; the quick pick by default. */
  prompt?: ApprovalPrompt;
}

export interface AgentTaskRequest {
  task: string;
  taskId?: string;
  /** A profile picked in the Chat view's model picker. */
  profileId?: string;
  signal?: AbortSignal;
  onEvent?: (e: PonderEvent) => void;
  /** Said to the user before the task starts (checks saved, none found). */
  onNote?: (text: string) => void;
}

export type AgentOutcome = { ok: true; result: AgentResult } | { ok: false; refused: string };

/** The workspace folder a task works in: the active editor's, else the first on disk. */
export function taskRoot(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  if (folder?.uri.scheme === 'file') return folder;
  return (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.scheme === 'file');
}

/**
 * Runs one agent task in VS Code: the settings read, the checks proposed on first use, edits and
 * deletes through WorkspaceEdits, commands in a terminal the user watches, approvals through the
 * same prompt and sidebar buttons as every tool, the checkpoint in this workspace's storage, and
 * every event into the trace store (the sidebar) and the caller (the chat response).
 */
export class VsCodeAgent {
  constructor(private readonly services: PonderServices, private readonly deps: AgentDeps) {}

  async run(req: AgentTaskRequest): Promise<AgentOutcome> {
    const { services, deps } = this;
    const { log, settings, traces, context } = services;
    if (!vscode.workspace.isTrusted) return { ok: false, refused: UNTRUSTED_AGENT };
    const folder = taskRoot();
    if (!folder) return { ok: false, refused: 'The agent works in a workspace folder on disk: open a folder first (File > Open Folder).' };
    const checkpointDir = deps.checkpoints.dir;
    if (!checkpointDir) return { ok: false, refused: 'VS Code gave Ponder no storage for this workspace, so the agent could not keep a checkpoint to undo its changes; it did not start.' };
    const root = folder.uri.fsPath;
    const s = settings.current;

    const { checks, note } = await checksForTask(context.workspaceState, s['ponder.agent.checks'], async () => discoverChecks(root), log);
    if (note) req.onNote?.(note);

    const taskId = req.taskId ?? randomUUID();
    const controller = deps.runner.running.start(taskId);
    const onOuterAbort = (): void => controller.abort();
    req.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (req.signal?.aborted) controller.abort();
    try {
      const instructionFiles = await deps.runner.instructionFiles(undefined);
      const ledger = deps.ledger();
      const port = deps.workspacePort();
      log.info(`Ponder agent ${taskId}: started in ${root} (approve: ${s['ponder.agent.approve']}, checks: ${checks.map((c) => c.command).join(', ') || 'none'})`);
      const result = await runAgent({
        taskId,
        task: req.task,
        root,
        endpoint: deps.runner.endpointFor(req.profileId),
        endpointMemory: services.endpointMemory,
        getApiKey: (id) => deps.getApiKey(id),
        host: services.workspace,
        approval: new VsCodeApprovalPort(deps.broker, deps.proposals, deps.prompt ?? quickPickPrompt, controller.signal),
        approve: s['ponder.agent.approve'],
        checks,
        allowedCommands: s['ponder.agent.allowedCommands'],
        limits: { maxRounds: s['ponder.agent.maxRounds'], maxTokens: s['ponder.agent.maxTokens'], maxCost: s['ponder.agent.maxCost'], maxMs: s['ponder.agent.maxMinutes'] * 60_000 },
        checkpointDir,
        exclude: s['ponder.context.exclude'],
        ...(port ? { workspace: { port, exclude: s['ponder.context.exclude'], maxFileSizeKB: s['ponder.context.maxFileSizeKB'], repoMap: s['ponder.context.repoMap'], timeLimitMs: s['ponder.context.timeLimitMs'], name: vscode.workspace.name } } : {}),
        instructionFiles,
        ...(ledger ? { recordTo: { ledger }, budget: { ledger, budget: budgetFromSettings(s), confirm: askBudgetDecision } } : {}),
        signal: controller.signal,
        logger: log,
        onEvent: (e) => {
          traces.add(e);
          req.onEvent?.(e);
        },
      });
      log.info(`Ponder agent ${taskId}: ${result.reason} after ${result.rounds} rounds; ${result.files.length} file(s) changed; checkpoint in ${path.join(checkpointDir, taskId)}`);
      return { ok: true, result };
    } finally {
      req.signal?.removeEventListener('abort', onOuterAbort);
      deps.runner.running.finish(taskId);
      await deps.checkpoints.refresh().catch(() => undefined);
    }
  }
}
