/** Agent mode's public surface: what the CLI and the VS Code side use. */
export * from './types';
export { Checkpoint, type CheckpointAction, type CheckpointChange, type CheckpointSummary, type UndoOptions, type UndoReport } from './checkpoint';
export { discoverChecks } from './checks';
export { defaultCheckpointDir } from './paths';
export { applyAgentEvent, changedFiles, type AgentView, type AgentEvent, type AgentFileChange, type AgentCheckRun } from '../protocol/agentView';
export { runAgent } from './run';
export { allowedByList } from './allowList';
export { trimOutput } from './output';
