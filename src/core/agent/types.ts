import type { AgentApprove, AgentEndReason, AgentLimitKind, AgentLimits, EventSink, PonderEvent, Usage } from '../events';
import type { InstructionFile } from '../instructions/discover';
import type { Logger } from '../log';
import type { BudgetConfig, EndpointChoice, RunDeps, WorkspaceContext } from '../run/types';
import type { Ledger } from '../cost/ledger';
import type { ReasoningEffort } from '../model/types';
import type { EndpointMemory } from '../model/endpointMemory';
import type { ApprovalPort, ToolDefinition } from '../tools/types';
import type { Checkpoint } from './checkpoint';
import type { EditorPort } from '../editor/port';

/**
 * Agent mode's public API: one task end to end. The CLI (`ponder agent`) and the VS Code side
 * (`@ponder /agent`, Start Agent Task) build an `AgentInput` and call `runAgent`.
 */

/** One of the project's checks (`ponder.agent.checks`): run by `run_check` without asking. */
export interface AgentCheck { name: string; command: string }

/** maxCost: USD 2 per task, ponder.agent.maxCost's default (room for a long task on a paid endpoint; stops a runaway). */
export const DEFAULT_LIMITS: AgentLimits = { maxRounds: 40, maxTokens: 2_000_000, maxCost: 2, maxMs: 30 * 60_000 };

export interface AgentInput {
  /** Also the checkpoint id and the task's request id; default: a new UUID. */
  taskId?: string;
  /** What the user asked for. */
  task: string;
  /** Absolute workspace folder the agent works in; nothing outside it is read or written. */
  root: string;
  endpoint: EndpointChoice;
  getApiKey(profileId: string): Promise<string | undefined>;
  /**
   * The editor (VS Code) or plain Node. `host.trusted` false = no agent at all (the task ends
   * 'refused' before any model call). `applyEdit`, `deleteFile` and `renameFile` must leave the
   * bytes on disk (the checks read them, the checkpoint hashes them).
   */
  host: EditorPort;
  /** Asks the user (diff, command); absent = whatever needs approval is denied and the model told. */
  approval?: ApprovalPort;
  /** `ponder.agent.approve`: what asks first. none: nothing; edits: file changes; commands: run_command (default); all: both. */
  approve?: AgentApprove;
  /** `ponder.agent.checks`: offered to the model as run_check, run without asking. */
  checks?: AgentCheck[];
  /** `ponder.agent.allowedCommands`: run_command runs these without asking (exact, or a prefix ending in " *"). */
  allowedCommands?: readonly string[];
  /** Caps; missing ones take DEFAULT_LIMITS (`ponder.agent.maxCost` is maxCost; 0 or null: no cap). */
  limits?: Partial<AgentLimits>;
  /**
   * `ponder.budget.*` (daily, monthly, hardLimit) against the shared ledger, checked before every
   * model turn as for ask; `confirm` asks "go on?" once per task (absent: over a budget stops the task).
   */
  budget?: BudgetConfig;
  /** Folder for checkpoints (VS Code: storage; CLI: defaultCheckpointDir()). */
  checkpointDir: string;
  /** `ponder.context.exclude`, plus `.ponderignore`: never read, never written. */
  exclude?: string[];
  /**
   * The workspace as the context engine sees it (NodeWorkspace in the CLI, the editor's port in
   * VS Code): names the task in request.start and the ledger, and the task's first message gets
   * the repository context the engine packs for it (`contextBudget` tokens).
   */
  workspace?: WorkspaceContext;
  /** Tokens of packed repository context in the first message (default 6000; 0: none). */
  contextBudget?: number;
  /** The repository's instruction files (AGENTS.md...). */
  instructionFiles?: InstructionFile[];
  /** Tokens of output per check / command sent to the model (default 2000). */
  outputTokens?: number;
  /** Record the task in the ledger (one line, the task's totals). */
  recordTo?: { ledger: Ledger; sessionId?: string };
  signal?: AbortSignal;
  onEvent?: EventSink;
  logger?: Logger;
  /** Injected for tests and adapters (streamTurn, toolDeps, now). */
  deps?: Partial<RunDeps>;
  /** What endpoints taught this window / process (rejected parameters, a server's model); absent: this task's own. */
  endpointMemory?: EndpointMemory;
  /** The user's reasoning effort for the task, sent only to endpoints that take one (as ask's). */
  reasoningEffort?: ReasoningEffort;
  /**
   * Tools Ponder did not write (MCP servers' tools in the CLI), offered beside the agent's own; a
   * name an agent tool already has is left out. Each call asks through `approval` unless
   * `externalAutoApprove` names it.
   */
  externalTools?: ToolDefinition[];
  /** Names from `externalTools` that run without asking (ponder.mcp.autoApprove). */
  externalAutoApprove?: readonly string[];
}

export interface AgentResult {
  taskId: string;
  reason: AgentEndReason;
  /** done or checks passed (`ponder agent` exits 0). */
  ok: boolean;
  message: string;
  limit?: { kind: AgentLimitKind; max: number; used: number };
  /** Undo, review: also reachable later with Checkpoint.open(checkpointDir, taskId). Absent when the task was refused before it started. */
  checkpoint?: Checkpoint;
  files: { path: string; action: 'created' | 'edited' | 'renamed' | 'deleted'; from?: string }[];
  rounds: number;
  usage: Usage;
  cost: number | null;
  /** The model's last words (its summary). */
  answer: string;
  events: PonderEvent[];
}
