import type { RequestEmitter, PlanItem, AgentApprove } from '../events';
import type { ApprovalPolicy } from '../tools/approval';
import type { ToolDeps } from '../tools/types';
import type { Checkpoint } from './checkpoint';
import type { AgentCheck } from './types';
import type { CommandOutcome, CommandRequest, EditorPort } from '../editor/port';

/** One change the agent applied, in order. */
export interface AppliedChange { path: string; action: 'created' | 'edited' | 'renamed' | 'deleted'; from?: string }

/** A check's latest result and the workspace state it ran on. */
export interface CheckResult { passed: boolean; changeSeq: number; exitCode: number | null; output: string }

/**
 * What the agent's tools share during one task: the workspace (one root), the checkpoint, the
 * policy, the event emitter, and the state the loop reads (plan, changes, check results).
 */
export interface AgentSession {
  host: EditorPort;
  deps: ToolDeps;
  emitter: RequestEmitter;
  checkpoint: Checkpoint;
  approve: AgentApprove;
  /** The user's side of approvals (no autoApprove: the agent's own policy decides first). */
  policy: ApprovalPolicy;
  checks: AgentCheck[];
  allowedCommands?: readonly string[];
  /** Tokens of output per command or check sent to the model. */
  outputTokens: number;
  runCommand(req: CommandRequest, signal?: AbortSignal): Promise<CommandOutcome>;
  signal?: AbortSignal;
  plan: PlanItem[];
  changes: AppliedChange[];
  /** Bumps on every applied change: a check result is current only for the seq it ran on. */
  changeSeq: number;
  checkResults: Map<string, CheckResult>;
}
