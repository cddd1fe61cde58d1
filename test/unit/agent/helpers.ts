import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAgent } from '../../../src/core/agent/run';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import type { AgentInput, AgentResult } from '../../../src/core/agent/types';
import type { ApprovalDecision, ApprovalPort, ApprovalRequest } from '../../../src/core/tools/types';
import { chunk, startWireServer, usageChunk, type RecordedRequest, type Scenario, type WireServer } from '../../fixtures/wire';
import { fixtureProfile } from '../run/helpers';

let n = 0;
export const TURN_USAGE = { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, completion_tokens_details: { reasoning_tokens: 40 } };

/** A scripted model turn calling these tools (in one turn), with fixed usage. */
export function calls(...list: Array<[name: string, args: unknown]>): Scenario {
  const id = ++n;
  return {
    name: `agent-calls-${id}`,
    steps: [
      { data: chunk({ role: 'assistant', content: null, reasoning: 'Working on it.' }) },
      ...list.map(([name, args], i) => ({ data: chunk({ tool_calls: [{ index: i, id: `call_${id}_${i}`, type: 'function', function: { name, arguments: JSON.stringify(args) } }] }) })),
      { data: chunk({}, 'tool_calls') },
      { data: usageChunk(TURN_USAGE) },
    ],
  };
}

/** The model's last turn: a summary, no tool calls. */
export function done(text = 'Done: the change is made and the checks pass.'): Scenario {
  return { name: `agent-done-${++n}`, steps: [{ data: chunk({ reasoning: 'All good.' }) }, { data: chunk({ content: text }) }, { data: chunk({}, 'stop') }, { data: usageChunk(TURN_USAGE) }] };
}

/** A real git repository in a temp folder, with these files committed. */
export function gitRepo(files: Record<string, string | Buffer>): { root: string; state: string; cleanup(): void } {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-agent-')));
  const root = path.join(base, 'repo');
  fs.mkdirSync(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'init');
  return { root, state: path.join(base, 'state'), cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

/**
 * A suite's set-up: one wire server for the suite (its recorded requests cleared before each
 * test) and a fresh git repository per test, made from `files` and removed after it.
 */
export function agentFixture(files: () => Record<string, string | Buffer>): { wire: WireServer; repo: ReturnType<typeof gitRepo> } {
  const f = {} as { wire: WireServer; repo: ReturnType<typeof gitRepo> };
  before(async () => { f.wire = await startWireServer(); });
  after(async () => { await f.wire.close(); });
  beforeEach(() => {
    f.wire.requests.length = 0;
    f.repo = gitRepo(files());
  });
  afterEach(() => f.repo.cleanup());
  return f;
}

export function gitStatus(root: string): string {
  return execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
}

/** Every file's bytes (no .git), to compare a tree exactly. */
export function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p); else out[path.relative(root, p)] = fs.readFileSync(p).toString('base64');
    }
  };
  walk(root);
  return out;
}

export class Approvals implements ApprovalPort {
  readonly asked: ApprovalRequest[] = [];
  constructor(private readonly answer: (r: ApprovalRequest) => Partial<ApprovalDecision> & { allow: boolean }) {}
  async request(r: ApprovalRequest): Promise<ApprovalDecision> {
    this.asked.push(r);
    return { by: 'user', ...this.answer(r) };
  }
}

export function agent(wire: WireServer, repo: { root: string; state: string }, extra: Partial<AgentInput> = {}): Promise<AgentResult> {
  return runAgent({
    task: 'Make the change.', root: repo.root, checkpointDir: path.join(repo.state, 'checkpoints'),
    endpoint: { profile: fixtureProfile(wire.url) }, getApiKey: async () => undefined,
    host: new NodeWorkspace([{ name: 'repo', path: repo.root }]),
    ...extra,
  });
}

type Msg = { role: string; content: string | null; tool_call_id?: string; tool_calls?: { id: string; function: { name: string; arguments: string } }[] };
export function sent(req: RecordedRequest): Msg[] {
  return (req.body?.messages ?? []) as Msg[];
}
/** The tool message answering the call with this id, as the endpoint received it. */
export function toolReply(req: RecordedRequest, callId: string): string | undefined {
  const m = sent(req).find((x) => x.role === 'tool' && x.tool_call_id === callId);
  return m?.content ?? undefined;
}

/** The id of the i-th tool call of a `calls(...)` turn. */
export function idOf(s: Scenario, i = 0): string {
  return `call_${s.name.split('-').pop()}_${i}`;
}
