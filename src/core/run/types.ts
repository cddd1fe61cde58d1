import type { RoutingRule } from '../config/settings';
import type { ContextRequest, PackedContext, PackOptions } from '../context/types';
import type { AskBudget } from '../cost/preflight';
import type { Budget } from '../cost/budget';
import type { Ledger } from '../cost/ledger';
import type { CostResult } from '../cost/types';
import type { EventSink, FinishReason, PonderEvent, RequestCommand, Usage } from '../events';
import type { Logger } from '../log';
import type { InstructionFile } from '../instructions/discover';
import type { ReasoningEffort, ReasoningState, ResolvedProfile, StreamTurnRequest, TurnResult } from '../model/types';
import type { EndpointMemory } from '../model/endpointMemory';
import type { RouteHealth } from '../routing/choose';
import type { ToolRefusals } from './toolRefusals';
import type { ApprovalPort, ToolDefinition, ToolDeps, ToolSession, ToolsEnabled } from '../tools/types';
import type { EditorPort, EditorReader } from '../editor/port';

/**
 * The request runner's public API: one request end to end. The VS Code side (chat participant,
 * palette commands) and `ponder ask` both build a `RunRequestInput` and call `runRequest`.
 */

/**
 * An earlier turn of the conversation (chat history), oldest first. An assistant turn may carry
 * the endpoint's opaque reasoning state, sent back unchanged only to the endpoint it came from.
 */
export interface HistoryTurn { role: 'user' | 'assistant'; content: string; reasoningState?: ReasoningState }

/** Which endpoint answers: a fixed profile, or the routing rules (`chooseEndpoint`). */
export type EndpointChoice =
  | { profile: ResolvedProfile; route?: { rule: string; reason: string } }
  | {
    profiles: ResolvedProfile[];
    rules: readonly RoutingRule[];
    /** `ponder.defaultEndpoint`. */
    defaultId?: string;
    /** Select Endpoint / the Chat view's model picker / `--endpoint`: wins over rules. */
    override?: string;
    overrideSource?: string;
    health?: ReadonlyMap<string, RouteHealth>;
  };

/** What to pack from the workspace (the context engine's request, minus what the runner decides). */
export interface WorkspaceContext {
  port: EditorReader;
  /** Absolute path, or relative to the first root. */
  activeFile?: string;
  /** 1-based inclusive lines in the active file: quoted in the prompt as the selection. */
  selection?: [number, number];
  /** 1-based cursor line when nothing is selected: the line and its enclosing symbol are quoted. */
  cursor?: number;
  openFiles?: string[];
  exclude?: string[];
  maxFileSizeKB?: number;
  repoMap?: boolean;
  timeLimitMs?: number;
  /** Shown in `request.start.workspace` and the ledger. */
  name?: string;
  /** Passed to packContext (a warm index, the token cache folder, git on/off). */
  packOptions?: PackOptions;
}

export interface ToolsConfig {
  /** `ponder.tools.enabled`. */
  enabled: ToolsEnabled;
  host: EditorPort;
  /** The approval prompt; absent = every change is denied (non-interactive). */
  approval?: ApprovalPort;
  /** "Allow for this session" memory; keep one per chat session / window. */
  session?: ToolSession;
  /** Endpoints seen to reject tools; keep one per window / process (absent: remembered for this request only). */
  refusals?: ToolRefusals;
  /** `ponder.tools.autoApprove` (ignored when the workspace is untrusted). */
  autoApprove?: readonly string[];
  /** Where `autoApprove` comes from when it is not `ponder.tools.autoApprove` (the CLI's MCP allow-list). */
  autoApproveSetting?: 'ponder.mcp.autoApprove';
  /** `ponder.tools.maxRounds` (default 8). */
  maxRounds?: number;
  /** `ponder.tools.maxOutputTokens` (default 24000). */
  maxOutputTokens?: number;
  /** False: the endpoint is known not to support function calling. */
  supported?: boolean;
  /** Globs tools never touch (`ponder.context.exclude`; default: the workspace's `exclude`), plus `.ponderignore`. */
  exclude?: string[];
  /** Replace or extend the tool set (tests, adapters). Default: ALL_TOOLS. */
  tools?: ToolDefinition[];
  /**
   * Tools Ponder did not write (VS Code's `vscode.lm.tools`, MCP servers' tools), added after
   * Ponder's own are selected: offered unless tools are off or the workspace is untrusted; each
   * call is approved the way its owner requires (VS Code's confirmation, or the approval port).
   */
  external?: ToolDefinition[];
}

export interface BudgetConfig {
  /** Shared ledger: totals for daily/monthly budgets. */
  ledger: Ledger;
  /** `ponder.budget.*` (budgetFromSettings). */
  budget: Budget;
  /** Asks "send anyway / send with a smaller context / cancel"; absent = refuse when over. */
  confirm?: AskBudget;
}

export interface RunRequestInput {
  requestId?: string;
  /** What the request is for: routing and the instructions use it. */
  command?: RequestCommand;
  /** The user's text. */
  prompt: string;
  /** Extra instructions for this command (e.g. what /fix should do), added to the developer message. */
  instructions?: string;
  history?: HistoryTurn[];
  /**
   * The conversation goes on after this request (a chat): where an endpoint keeps its reasoning
   * private, ask for it in encrypted form so the next turn can send it back. Implied by history.
   */
  keepReasoning?: boolean;
  /** The repository's instruction files for this request (discoverInstructions); empty in untrusted workspaces. */
  instructionFiles?: InstructionFile[];
  /** The user's reasoning effort for this request; sent only where the endpoint takes one (effortControl). */
  reasoningEffort?: ReasoningEffort;
  /** `ponder.chat.historyTokens` (default 8000). */
  historyTokens?: number;
  endpoint: EndpointChoice;
  /** What endpoints taught this window / process (rejected parameters, a server's model); absent: this request's own. */
  endpointMemory?: EndpointMemory;
  /** API key / Entra token for a profile; never logged. */
  getApiKey(profileId: string): Promise<string | undefined>;
  workspace?: WorkspaceContext;
  /** Context budget in tokens; 0/undefined: window − reserved output − the prompt itself. */
  contextBudget?: number;
  tools?: ToolsConfig;
  budget?: BudgetConfig;
  /** Record the finished request in this ledger (the CLI; the extension may record from the trace store instead). */
  recordTo?: { ledger: Ledger; sessionId?: string };
  signal?: AbortSignal;
  /** Every event as it happens (chat stream, sidebar, JSONL). */
  onEvent?: EventSink;
  logger?: Logger;
  /** Injected for tests and adapters. */
  deps?: Partial<RunDeps>;
}

export interface RunDeps {
  streamTurn(req: StreamTurnRequest): Promise<TurnResult>;
  packContext(req: ContextRequest, port: EditorReader, opts?: PackOptions): Promise<PackedContext>;
  toolDeps: ToolDeps;
  now(): number;
}

export interface RunResult {
  requestId: string;
  /** The answer text (all content the model streamed, partial when cancelled or failed). */
  answer: string;
  reasoning: string;
  /** The final turn's opaque reasoning state, for the next chat turn's history. Never in `events`. */
  reasoningState?: ReasoningState;
  finishReason: FinishReason;
  /** The profile that answered; undefined when routing failed before any profile was chosen. */
  profile?: ResolvedProfile;
  usage: Usage;
  cost: CostResult;
  /** The error event, when the request failed. */
  error?: Extract<PonderEvent, { type: 'error' }>;
  events: PonderEvent[];
}
