import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { discoverChecks } from '../core/agent/checks';
import { defaultStateDir } from '../core/agent/paths';
import type { AgentCheck } from '../core/agent/types';
import { visibleControls as v } from '../core/terminalText';
import { replaceFile } from '../core/userFiles';

/**
 * Which checks `ponder agent` runs without asking, and where they came from. `--check` wins, then
 * a settings file the user named (`--settings`). Otherwise the checks are the user's answer,
 * remembered per workspace in the per-user state folder (`agent-checks.json` in
 * $PONDER_STATE_DIR, ~/.local/state/ponder...), never in the repository: what the project's
 * manifests (or its own .vscode/settings.json) name is only proposed, once per workspace, on a
 * terminal; a cloned repository cannot choose what runs unasked.
 */

const CheckSchema = z.object({ name: z.string().min(1), command: z.string().min(1) });
const EntrySchema = z.object({ checks: z.array(CheckSchema), proposed: z.array(CheckSchema), accepted: z.boolean(), at: z.string() });
const StoreSchema = z.object({ v: z.literal(1), workspaces: z.record(z.string(), EntrySchema) });
type Store = z.infer<typeof StoreSchema>;
export type RememberedChecks = z.infer<typeof EntrySchema>;

export function checksStateFile(env: NodeJS.ProcessEnv): string {
  return path.join(defaultStateDir(env), 'agent-checks.json');
}

function readStore(file: string): Store {
  try {
    const parsed = StoreSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch { /* missing or unreadable: nothing remembered */ }
  return { v: 1, workspaces: {} };
}

/** The workspace's key: its real path, so a symlinked checkout is the same workspace. */
function keyOf(root: string): string {
  try { return fs.realpathSync(root); } catch { return path.resolve(root); }
}

export function rememberedChecks(file: string, root: string): RememberedChecks | undefined {
  return readStore(file).workspaces[keyOf(root)];
}

/** Written whole through a temp file (no half-written state), readable only by the user. */
export function rememberChecks(file: string, root: string, entry: RememberedChecks): void {
  const store = readStore(file);
  store.workspaces[keyOf(root)] = entry;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  replaceFile(file, JSON.stringify(store, null, 2) + '\n', 'utf8');
}

export interface ChecksChoice {
  checks: AgentCheck[];
  /** One line for the terminal saying which checks run and where they came from. */
  said: string;
}

export interface ChecksInput {
  root: string;
  flags: string[] | undefined;
  /** ponder.agent.checks of a settings file the user named (--settings). */
  named?: { file: string; checks: AgentCheck[] };
  /** ponder.agent.checks of the repository's own .vscode/settings.json: only proposed. */
  fromRepository?: { file: string; checks: AgentCheck[] };
  /** Ask again even though an answer is remembered. */
  proposeAgain: boolean;
  stateFile: string;
  /** A person at the terminal: asks the question, returns the answer line. Absent: no one to ask. */
  ask?: (question: string) => Promise<string>;
}

const list = (checks: readonly AgentCheck[]) => checks.map((c) => v(c.command)).join(', ');

export async function chooseChecks(input: ChecksInput): Promise<ChecksChoice> {
  const flags = (input.flags ?? []).map((command, i, all) => ({ name: all.length === 1 ? 'check' : `check ${i + 1}`, command: command.trim() })).filter((c) => c.command);
  if (flags.length) return { checks: flags, said: `checks from --check: ${list(flags)}` };
  if (input.named?.checks.length) return { checks: input.named.checks, said: `checks from ${v(input.named.file)}: ${list(input.named.checks)}` };

  const remembered = rememberedChecks(input.stateFile, input.root);
  if (remembered && !input.proposeAgain) {
    const again = `(remembered in ${v(input.stateFile)}; --check overrides, --propose-checks asks again)`;
    return remembered.checks.length
      ? { checks: remembered.checks, said: `checks you accepted for this workspace: ${list(remembered.checks)} ${again}` }
      : { checks: [], said: `no checks: you declined ${list(remembered.proposed)} for this workspace ${again}` };
  }

  const proposed = input.fromRepository?.checks.length ? input.fromRepository.checks : await discoverChecks(input.root);
  const where = input.fromRepository?.checks.length ? `${v(input.fromRepository.file)} names` : 'the project defines';
  if (!proposed.length) return { checks: [], said: 'no checks: none configured and none found in the project\'s manifests (pass --check CMD)' };
  if (!input.ask) {
    return { checks: [], said: `no checks: ${where} ${list(proposed)}, but nothing the repository names runs unasked; accept them once on a terminal (remembered for this workspace) or pass --check` };
  }
  const answer = await input.ask(`ponder agent: ${where} these checks: ${list(proposed)}. Let the agent run them without asking, in this workspace from now on? [y/N] `);
  const accepted = answer.trim().toLowerCase().startsWith('y');
  rememberChecks(input.stateFile, input.root, { checks: accepted ? proposed : [], proposed, accepted, at: new Date().toISOString() });
  const stored = `remembered for this workspace in ${v(input.stateFile)} (--propose-checks asks again)`;
  return accepted
    ? { checks: proposed, said: `checks accepted: ${list(proposed)}; ${stored}` }
    : { checks: [], said: `no checks: declined; ${stored}` };
}
