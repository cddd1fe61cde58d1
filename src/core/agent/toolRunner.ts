import { quotedLine } from '../terminalText';
import { ToolRunner, type ToolRoundResult } from '../tools/runner';
import { canonicalArguments, parseArguments, toChatTool, type ChatTool } from '../tools/schema';
import type { ApprovalDecision, ApprovalPreview, ToolCall, ToolContext, ToolDefinition, ToolKind, ToolOutput } from '../tools/types';
import { allowedByList } from './allowList';
import type { AgentSession } from './session';

/**
 * Runs the agent's tool calls: arguments checked against the schema, the agent's approval
 * policy applied (ponder.agent.approve, the allow-list, protected paths), every step recorded
 * as tool.call / tool.approval / tool.result. Unlike a chat request there is no total output
 * budget (the loop condenses instead), and a repeated call is refused only while nothing in the
 * workspace changed since it last ran. Never throws for a bad call: the model is told why.
 * It is a ToolRunner so the request pipeline's turn loop (runTurns) drives it.
 */

/** Paths whose change always asks, whatever the policy: they steer Ponder itself or the editor. */
const PROTECTED = /^(?:\.vscode\/|\.ponderignore$|\.ponder\/)/;

export interface CallResult { call: ToolCall; content: string; ok: boolean }

export class AgentToolRunner extends ToolRunner {
  private readonly named = new Map<string, ToolDefinition>();
  private readonly lastRun = new Map<string, number>();
  private agentSpecs?: ChatTool[];

  constructor(private readonly s: AgentSession, tools: ToolDefinition[]) {
    super({ tools, host: s.host, deps: s.deps, emitter: s.emitter, approval: s.policy, maxOutputTokens: Number.MAX_SAFE_INTEGER, signal: s.signal });
    for (const t of tools) this.named.set(t.name, t);
  }

  override specs(): ChatTool[] { return (this.agentSpecs ??= this.tools.map(toChatTool)); }

  /** One model turn's calls, in order; only a cancel stops the round. */
  override async runRound(calls: ToolCall[], announced: ReadonlySet<string> = new Set()): Promise<ToolRoundResult> {
    const results: ToolRoundResult['results'] = [];
    for (const call of calls) results.push(await this.run(call, announced.has(call.id)));
    return { results, ...(this.s.signal?.aborted ? { stop: 'cancelled' as const } : {}) };
  }

  /** `announced`: the model client already emitted tool.call for it. */
  async run(call: ToolCall, announced: boolean): Promise<CallResult> {
    const { emitter } = this.s;
    if (!announced) emitter.emit({ type: 'tool.call', id: call.id, name: call.name, arguments: call.arguments });
    const t0 = Date.now();
    let out: ToolOutput;
    if (this.s.signal?.aborted) out = { ok: false, content: 'Cancelled before this call ran.', summary: 'cancelled', error: 'cancelled' };
    else out = await this.runCall(call);
    emitter.emit({ type: 'tool.result', id: call.id, ok: out.ok, summary: out.summary, ms: Date.now() - t0, ...(out.error ? { error: out.error } : {}) });
    return { call, content: out.content, ok: out.ok };
  }

  private async runCall(call: ToolCall): Promise<ToolOutput> {
    const tool = this.named.get(call.name);
    if (!tool) {
      return { ok: false, content: `Error: there is no tool named "${call.name}". Available tools: ${[...this.named.keys()].join(', ')}.`, summary: `unknown tool ${call.name}`, error: 'unknown tool' };
    }
    const parsed = parseArguments(tool.schema, call.arguments);
    if (!parsed.ok) return { ok: false, content: `Error calling ${tool.name}: ${parsed.error}. Fix the arguments and call again.`, summary: `bad arguments: ${parsed.error}`, error: parsed.error };
    const key = `${tool.name}\u0000${canonicalArguments(call.arguments)}`;
    if (tool.name !== 'update_plan' && this.lastRun.get(key) === this.s.changeSeq) {
      return {
        ok: false, summary: 'repeated call refused', error: 'repeat',
        content: `You already called ${tool.name} with exactly these arguments and nothing in the workspace changed since: its result is above. Use it, try something else, or finish.`,
      };
    }
    const ctx: ToolContext = {
      host: this.s.host, deps: this.s.deps, requestId: this.s.emitter.requestId, call, signal: this.s.signal,
      approve: (kind, preview) => this.decide(call, tool, kind, preview),
    };
    try {
      const out = await tool.run(parsed.value, ctx);
      this.lastRun.set(key, this.s.changeSeq);
      return out;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return { ok: false, content: `Error: ${tool.name} failed: ${msg}`, summary: `failed: ${msg}`, error: msg };
    }
  }

  /** The agent's policy first; what it leaves to the user goes through the approval port. */
  private async decide(call: ToolCall, tool: ToolDefinition, kind: ToolKind, preview: ApprovalPreview): Promise<ApprovalDecision> {
    const { emitter, approve } = this.s;
    const detail = describe(preview);
    let auto: string | undefined;
    if (preview.type === 'edit') {
      const p = preview.proposal;
      const guarded = PROTECTED.test(p.path) || (p.from !== undefined && PROTECTED.test(p.from));
      if (!guarded && (approve === 'none' || approve === 'commands')) auto = `ponder.agent.approve is "${approve}": file changes apply at once under the task's checkpoint`;
    } else if (preview.type === 'command') {
      const listed = allowedByList(preview.command, this.s.allowedCommands);
      if (listed) auto = `in ponder.agent.allowedCommands ("${listed}")`;
      else if (approve === 'none' || approve === 'edits') auto = `ponder.agent.approve is "${approve}": commands run without asking`;
    }
    if (auto) {
      emitter.emit({ type: 'tool.approval', id: call.id, state: 'granted', by: 'policy', detail: `${detail} — ${auto}` });
      return { allow: true, by: 'policy', reason: auto };
    }
    const { policy } = this.s;
    if (policy.needsUser(tool.name, preview)) emitter.emit({ type: 'tool.approval', id: call.id, state: 'asked', detail });
    const decision = await policy.decide({ requestId: emitter.requestId, call, tool: tool.name, kind, preview });
    emitter.emit({ type: 'tool.approval', id: call.id, state: decision.allow ? 'granted' : 'denied', by: decision.by, detail: decision.reason ? `${detail} — ${decision.reason}` : detail });
    return decision;
  }
}

function describe(preview: ApprovalPreview): string {
  if (preview.type === 'command') return `${quotedLine(preview.command)}  (in ${preview.cwd})`;
  if (preview.type === 'tool') return `${preview.server}: ${preview.tool} ${preview.arguments}`;
  const p = preview.proposal;
  if (p.operation === 'rename') return `rename ${p.from} → ${p.path}`;
  if (p.operation === 'delete') return `delete ${p.path} (−${p.removed} lines)`;
  return `${p.exists ? '' : 'new file '}${p.path}: +${p.added} −${p.removed} lines`;
}
