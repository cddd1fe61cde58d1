import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RequestEmitter, type PonderEvent } from '../../../src/core/events';
import { ApprovalPolicy } from '../../../src/core/tools/approval';
import { defaultToolDeps } from '../../../src/core/tools/deps';
import { selectTools } from '../../../src/core/tools/registry';
import { ToolRunner } from '../../../src/core/tools/runner';
import type { ApprovalPort, ApprovalRequest, ToolDeps, ToolSession, ToolsEnabled } from '../../../src/core/tools/types';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import type { EditorPort } from '../../../src/core/editor/port';

/** A real temporary workspace: files given as { 'src/a.ts': 'text' }. */
export function tempWorkspace(files: Record<string, string>): { root: string; cleanup(): void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-tools-')));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return { root, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** An approval port that answers from a script and remembers what it was asked. */
export class ScriptedApproval implements ApprovalPort {
  readonly asked: ApprovalRequest[] = [];
  constructor(private readonly answer: (r: ApprovalRequest) => { allow: boolean; forSession?: boolean }) {}
  async request(r: ApprovalRequest) {
    this.asked.push(r);
    return { ...this.answer(r), by: 'user' as const };
  }
}

export function makeRunner(opts: {
  root: string; enabled?: ToolsEnabled; trusted?: boolean; approval?: ApprovalPort; session?: ToolSession;
  autoApprove?: string[]; maxOutputTokens?: number; host?: Partial<EditorPort>; signal?: AbortSignal; deps?: Partial<ToolDeps>;
}) {
  const events: PonderEvent[] = [];
  const emitter = new RequestEmitter('req-1', (e) => events.push(e));
  const host: EditorPort = Object.assign(new NodeWorkspace([{ name: path.basename(opts.root), path: opts.root }], undefined, { trusted: opts.trusted ?? true }), opts.host);
  const tools = selectTools(opts.enabled ?? 'all', host);
  const runner = new ToolRunner({
    tools, host, deps: { ...defaultToolDeps, ...opts.deps }, emitter, maxOutputTokens: opts.maxOutputTokens ?? 24000, signal: opts.signal,
    approval: new ApprovalPolicy({ trusted: host.trusted, autoApprove: opts.autoApprove, session: opts.session, port: opts.approval }),
  });
  let n = 0;
  const call = async (name: string, args: unknown) => {
    const id = `call_${++n}`;
    const round = await runner.runRound([{ id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args) }]);
    return { ...round.results[0], stop: round.stop, id };
  };
  return { runner, events, call, host, tools };
}
