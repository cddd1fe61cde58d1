/** The tool layer's public surface: what runRequest, the VS Code adapter and the CLI use. */
export * from './types';
export { ApprovalPolicy, type ApprovalPolicyOptions } from './approval';
export { ALL_TOOLS, selectTools } from './registry';
export { ToolRunner, type LoopStop, type ToolRoundResult } from './runner';
export { toChatTool, parseArguments, describeArgumentError, type ChatTool } from './schema';
export { resolveWorkspacePath, type PathCheck } from './pathSafety';
export { truncateMiddle } from './changeTools';
export { spawnCommand } from '../editor/nodeOps';
export { unifiedDiff } from './diff';
export { defaultToolDeps } from './deps';
