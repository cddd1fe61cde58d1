import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { AskBudget } from '../../core/cost/preflight';
import type { Ledger } from '../../core/cost/ledger';
import type { PonderEvent, RequestCommand } from '../../core/events';
import { requestOptionsFromSettings } from '../../core/run/fromSettings';
import { runRequest } from '../../core/run/runRequest';
import type { EndpointChoice, HistoryTurn, RunResult } from '../../core/run/types';
import { discoverInstructions, type InstructionFile } from '../../core/instructions/discover';
import { ALL_TOOLS } from '../../core/tools/registry';
import { ToolSession, type ToolDefinition } from '../../core/tools/types';
import type { PonderServices } from '../services';
import { plainHttpWarning } from '../../core/model/keyPolicy';
import { VsCodeApprovalPort, quickPickPrompt } from './approvalPrompt';
import type { ApprovalBroker, ApprovalPrompt } from './approvals';
import type { EditProposals } from './editProposals';
import { RunningRequests } from './runningRequests';
import { PaletteHandoff } from './scope';
import { disabledToolNames, pickedToolNames, vscodeToolsFor } from './lmTools';
import { workspaceRoots } from '../editor/roots';
import type { EditorPort } from '../../core/editor/port';

/** What the participant, the palette commands and "re-run" ask for. */
export interface ChatRunInput {
  requestId?: string;
  command: RequestCommand;
  /** Sent to the model and shown in the history list. */
  prompt: string;
  /** The command's task, added to Ponder's instructions. */
  instructions?: string;
  history?: HistoryTurn[];
  /** A chat: the conversation goes on, so opaque reasoning state is asked for and kept. */
  keepReasoning?: boolean;
  /** Absolute path of the file the request is about, and its 1-based selected lines. */
  activeFile?: string;
  selection?: [number, number];
  /** 1-based cursor line when nothing is selected: the line and its enclosing symbol are quoted. */
  cursor?: number;
  openFiles?: string[];
  /** A profile id picked in the Chat view's model picker; wins over Select Endpoint and routing. */
  profileId?: string;
  /** Tools of other extensions and MCP servers (vscode.lm.tools) offered in this request, besides Ponder's own. */
  extraTools?: ToolDefinition[];
  /** Cancellation from outside (the Chat view's stop button). */
  signal?: AbortSignal;
  onEvent?: (e: PonderEvent) => void;
}

/** What the other adapter parts provide; each is looked up per request so late registration works. */
export interface ChatRunnerDeps {
  getApiKey(profileId: string): Promise<string | undefined>;
  workspacePort(): EditorPort | undefined;
  ledger(): Ledger | undefined;
  confirmBudget?: AskBudget;
  /** Overridable by tests; the quick pick by default. */
  prompt?: ApprovalPrompt;
}

export const UNTRUSTED_NOTICE = 'This workspace is not trusted (Restricted Mode), so Ponder runs no tools here: the model cannot open files, propose edits or run commands. It answers from the context Ponder packed and what you attached.';

/**
 * Runs one request for the Chat view or a palette command: reads the settings, picks the
 * endpoint, wires the tool host and approvals, registers the request for cancelling, and feeds
 * every event to the trace store (which the sidebar and the ledger watch) and the caller.
 */
export class ChatRunner {
  readonly running: RunningRequests;
  /** The editor scope a palette command saw, for the `@ponder` request it opens. */
  readonly paletteScope = new PaletteHandoff();
  /** "Allow for this session": one memory per window, shared by chat and commands. */
  readonly toolSession = new ToolSession();

  constructor(
    private readonly services: PonderServices,
    private readonly broker: ApprovalBroker,
    private readonly proposals: EditProposals,
    private readonly deps: ChatRunnerDeps,
  ) {
    this.running = new RunningRequests((anyRunning) => void vscode.commands.executeCommand('setContext', 'ponder.requestRunning', anyRunning));
  }

  endpointFor(profileId: string | undefined): EndpointChoice {
    const choice = this.services.endpoints.choice();
    if (!profileId || !choice.profiles.some((p) => p.id === profileId)) return choice;
    // The Chat view always names a model, picked or not: only one that differs from where the
    // request would go anyway is a choice, and only that one is reported as chosen.
    let routed: string | undefined;
    try { routed = this.services.endpoints.activeRoute().profile.id; } catch { /* no route: the pick decides */ }
    if (routed === profileId) return choice;
    return { ...choice, override: profileId, overrideSource: 'the model selected in the Chat view' };
  }

  /** The repository's instruction files for a request about `activeFile`: read afresh each time, each source as the settings allow. */
  async instructionFiles(activeFile: string | undefined): Promise<InstructionFile[]> {
    const { instructions } = requestOptionsFromSettings(this.services.settings.current, { trusted: vscode.workspace.isTrusted });
    try {
      return await discoverInstructions({ roots: workspaceRoots(), activeFile, ...instructions });
    } catch (err) {
      this.services.log.warn(`Ponder: could not read the instruction files: ${String(err)}`);
      return [];
    }
  }

  private summarizeNext = false;

  /** "Summarize Earlier Turns": the next @ponder request sends the chat's earlier turns as a short summary. */
  requestSummary(): void { this.summarizeNext = true; }

  takeSummarizeRequest(): boolean {
    const asked = this.summarizeNext;
    this.summarizeNext = false;
    return asked;
  }

  /** VS Code's tools for a chat request (ponder.tools.vscodeTools and the user's picks); none in untrusted workspaces. */
  vscodeTools(request: vscode.ChatRequest): ToolDefinition[] {
    const s = this.services.settings.current;
    if (!vscode.workspace.isTrusted || s['ponder.tools.enabled'] !== 'all') return [];
    try {
      return vscodeToolsFor(request, s['ponder.tools.vscodeTools'], pickedToolNames(request), new Set(ALL_TOOLS.map((t) => t.name)), disabledToolNames(request));
    } catch (err) {
      this.services.log.warn(`Ponder: could not list VS Code's tools: ${String(err)}`);
      return [];
    }
  }

  async run(input: ChatRunInput): Promise<RunResult> {
    const { settings, traces, log } = this.services;
    const s = settings.current;
    const requestId = input.requestId ?? randomUUID();
    const controller = this.running.start(requestId);
    const onOuterAbort = (): void => controller.abort();
    input.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (input.signal?.aborted) controller.abort();
    const trusted = vscode.workspace.isTrusted;
    // The same settings-to-request mapping as `ponder ask`; Restricted Mode is applied there too.
    const options = requestOptionsFromSettings(s, { trusted });
    const host = this.services.workspace;
    const port = this.deps.workspacePort();
    const ledger = this.deps.ledger();
    const warnedHttp = new Set<string>();
    const emit = (e: PonderEvent): void => {
      traces.add(e);
      input.onEvent?.(e);
    };
    try {
      // A server asked for its real window right now (first request in a new window): pack for that window.
      await this.services.endpoints.windowsKnown();
      const instructionFiles = trusted ? await this.instructionFiles(input.activeFile) : [];
      log.debug(`Ponder: instruction files for ${input.activeFile ?? '(no file)'} in ${workspaceRoots().map((r) => r.path).join(', ')}: ${instructionFiles.map((f) => f.path).join(', ') || 'none'}`);
      return await runRequest({
        requestId,
        command: input.command,
        prompt: input.prompt,
        instructions: input.instructions,
        instructionFiles,
        reasoningEffort: this.services.effort.value,
        history: input.history,
        keepReasoning: input.keepReasoning,
        historyTokens: options.historyTokens,
        endpoint: this.endpointFor(input.profileId),
        getApiKey: async (id) => {
          const key = await this.deps.getApiKey(id);
          // A key over plain http to another machine: said, once per request, where the user reads the answer.
          const profile = this.services.endpoints.config.profiles.find((p) => p.id === id);
          const warning = key && profile ? plainHttpWarning(profile) : undefined;
          if (warning && !warnedHttp.has(id)) {
            warnedHttp.add(id);
            log.warn(`Ponder: ${warning}`);
            emit({ type: 'notice', level: 'warning', message: warning, requestId, t: Date.now() });
          }
          return key;
        },
        workspace: port ? {
          port, activeFile: input.activeFile, selection: input.selection, cursor: input.cursor, openFiles: input.openFiles,
          name: vscode.workspace.name, ...options.workspace,
        } : undefined,
        contextBudget: options.contextBudget,
        tools: {
          ...options.tools,
          host,
          approval: new VsCodeApprovalPort(this.broker, this.proposals, this.deps.prompt ?? quickPickPrompt, controller.signal),
          session: this.toolSession,
          refusals: this.services.toolRefusals,
          // Restricted Mode: no tools at all, not even other extensions' (the model could be steered by the repository).
          external: trusted ? input.extraTools : undefined,
        },
        budget: ledger ? { ledger, budget: options.budget, confirm: this.deps.confirmBudget } : undefined,
        endpointMemory: this.services.endpointMemory,
        signal: controller.signal,
        logger: log,
        onEvent: (e) => {
          emit(e);
          if (e.type === 'request.start' && !trusted) emit({ type: 'notice', level: 'info', message: UNTRUSTED_NOTICE, requestId, t: Date.now() });
        },
      });
    } finally {
      input.signal?.removeEventListener('abort', onOuterAbort);
      this.running.finish(requestId);
    }
  }
}
