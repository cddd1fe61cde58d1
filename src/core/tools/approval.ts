import type { ApprovalDecision, ApprovalPort, ApprovalRequest, ToolSession } from './types';

/**
 * Who may let a tool that changes things run, in order: never in an untrusted workspace; the
 * tools named in `ponder.tools.autoApprove` (trusted workspaces only); tools the user allowed
 * for this session; otherwise the user, through the port. No port (a non-interactive CLI) means
 * no: the call is denied and the model is told.
 */
export interface ApprovalPolicyOptions {
  trusted: boolean;
  autoApprove?: readonly string[];
  session?: ToolSession;
  port?: ApprovalPort;
}

export class ApprovalPolicy {
  constructor(private readonly opts: ApprovalPolicyOptions) {}

  /** Whether a decision needs the user (callers emit the `asked` event only then). */
  needsUser(tool: string): boolean {
    return this.opts.trusted && !this.opts.autoApprove?.includes(tool) && !this.opts.session?.allowed.has(tool) && !!this.opts.port;
  }

  async decide(request: ApprovalRequest): Promise<ApprovalDecision> {
    const { tool } = request;
    if (!this.opts.trusted) return { allow: false, by: 'policy', reason: 'the workspace is not trusted, so nothing may be changed or run' };
    if (this.opts.autoApprove?.includes(tool)) return { allow: true, by: 'policy', reason: `"${tool}" is in ponder.tools.autoApprove` };
    if (this.opts.session?.allowed.has(tool)) return { allow: true, by: 'session', reason: `"${tool}" was allowed for this session` };
    if (!this.opts.port) return { allow: false, by: 'policy', reason: 'no one can approve it here (not an interactive terminal)' };
    let decision: ApprovalDecision;
    try {
      decision = await this.opts.port.request(request);
    } catch (e) {
      return { allow: false, by: 'policy', reason: `the approval prompt failed (${e instanceof Error ? e.message : String(e)})` };
    }
    if (decision.allow && decision.forSession) this.opts.session?.allowed.add(tool);
    return decision;
  }
}
