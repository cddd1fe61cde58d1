import type { ApprovalDecision, ApprovalPort, ApprovalPreview, ApprovalRequest, ToolSession } from './types';

/**
 * Who may let a tool that changes things run, in order: never in an untrusted workspace; the
 * tools named in `ponder.tools.autoApprove` (the CLI's MCP tools: `ponder.mcp.autoApprove`;
 * trusted workspaces only); what the user allowed for this session; otherwise the user, through
 * the port. No port (a non-interactive CLI) means no: the call is denied and the model is told.
 */

/**
 * What "allow for this session" covers: for a command, that exact command in that folder (allowing
 * `npm test` must not let `curl … | sh` through later); for any other tool, the tool.
 */
export function sessionKey(tool: string, preview?: ApprovalPreview): string {
  return preview?.type === 'command' ? `${tool}\u0000${preview.cwd}\u0000${preview.command}` : tool;
}

export interface ApprovalPolicyOptions {
  trusted: boolean;
  autoApprove?: readonly string[];
  /** The setting `autoApprove` comes from, named in the reason a call ran unasked (default ponder.tools.autoApprove). */
  autoApproveSetting?: 'ponder.tools.autoApprove' | 'ponder.mcp.autoApprove';
  session?: ToolSession;
  port?: ApprovalPort;
}

export class ApprovalPolicy {
  constructor(private readonly opts: ApprovalPolicyOptions) {}

  /** Whether a decision needs the user (callers emit the `asked` event only then). */
  needsUser(tool: string, preview?: ApprovalPreview): boolean {
    return this.opts.trusted && !this.opts.autoApprove?.includes(tool) && !this.opts.session?.allowed.has(sessionKey(tool, preview)) && !!this.opts.port;
  }

  async decide(request: ApprovalRequest): Promise<ApprovalDecision> {
    const { tool } = request;
    if (!this.opts.trusted) return { allow: false, by: 'policy', reason: 'the workspace is not trusted, so nothing may be changed or run' };
    if (this.opts.autoApprove?.includes(tool)) return { allow: true, by: 'policy', reason: `"${tool}" is in ${this.opts.autoApproveSetting ?? 'ponder.tools.autoApprove'}` };
    const key = sessionKey(tool, request.preview);
    if (this.opts.session?.allowed.has(key)) {
      return { allow: true, by: 'session', reason: request.preview.type === 'command' ? 'this exact command was allowed for this session' : `"${tool}" was allowed for this session` };
    }
    if (!this.opts.port) return { allow: false, by: 'policy', reason: 'no one can approve it here (not an interactive terminal)' };
    let decision: ApprovalDecision;
    try {
      decision = await this.opts.port.request(request);
    } catch (e) {
      return { allow: false, by: 'policy', reason: `the approval prompt failed (${e instanceof Error ? e.message : String(e)})` };
    }
    if (decision.allow && decision.forSession) this.opts.session?.allowed.add(key);
    return decision;
  }
}
