import type { spawn as Spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { commandEnv } from './commandEnv';
import type { CommandOutcome, CommandRequest, EditOutcome, EditProposal } from './port';

/** The editor port's changes in plain Node (the CLI, tests): files on disk, commands in a child shell. */

/** Loaded on first use: `ponder context` never runs a command and so never pays for child_process. */
function spawnOf(): typeof Spawn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:child_process') as { spawn: typeof Spawn }).spawn;
}

/** Output kept while a command runs; the tool trims it further for the model. */
const MAX_COMMAND_OUTPUT = 16_000;

/** Writes an approved edit, unless the file changed since it was proposed. */
export async function writeProposal(p: EditProposal): Promise<EditOutcome> {
  try {
    // The user may have changed the file while the prompt was open: never overwrite their work.
    const now = await fs.readFile(p.absPath, 'utf8').catch(() => undefined);
    if (now !== (p.exists ? p.before : undefined)) {
      return { applied: false, message: `${p.path} ${p.exists ? 'changed' : 'was created'} after the edit was proposed; read it again and propose the edit anew` };
    }
    await fs.mkdir(path.dirname(p.absPath), { recursive: true });
    await fs.writeFile(p.absPath, p.after, 'utf8');
    return { applied: true };
  } catch (e) {
    return { applied: false, message: `could not write ${p.path} (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}

/**
 * Default runner (CLI, tests): a child shell in the working directory, output captured. Its
 * environment is this process's without credentials (commandEnv): `hideEnv` names more to drop.
 */
export function spawnCommand(req: CommandRequest, signal?: AbortSignal, opts: { hideEnv?: readonly string[] } = {}): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const shell = process.platform === 'win32' ? { cmd: 'cmd.exe', args: ['/d', '/s', '/c', req.command] } : { cmd: '/bin/sh', args: ['-c', req.command] };
    const child = spawnOf()(shell.cmd, shell.args, { cwd: req.absCwd, env: commandEnv(process.env, opts.hideEnv), stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    let output = '';
    let timedOut = false;
    const add = (b: Buffer) => { if (output.length < 4 * MAX_COMMAND_OUTPUT) output += b.toString('utf8'); else output = output.slice(-2 * MAX_COMMAND_OUTPUT) + b.toString('utf8'); };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    // Kill the whole process group: a shell's children must not outlive a cancelled request.
    const kill = () => { try { if (child.pid) process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL'); } catch { /* already gone */ } };
    const timer = setTimeout(() => { timedOut = true; kill(); }, req.timeoutMs);
    const onAbort = () => kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => { clearTimeout(timer); resolve({ exitCode: null, output: `could not start the command: ${e.message}` }); });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode: code, output, timedOut, signal: sig ?? undefined });
    });
  });
}

export async function nodeDeleteFile(absPath: string): Promise<EditOutcome> {
  try {
    await fs.rm(absPath);
    return { applied: true };
  } catch (e) {
    return { applied: false, message: `could not delete it (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}

export async function nodeRenameFile(fromAbs: string, toAbs: string): Promise<EditOutcome> {
  try {
    // Never replace a file silently: the caller decides about an existing target.
    if (await fs.lstat(toAbs).then(() => true, () => false)) return { applied: false, message: 'the target already exists' };
    await fs.mkdir(path.dirname(toAbs), { recursive: true });
    await fs.rename(fromAbs, toAbs);
    return { applied: true };
  } catch (e) {
    return { applied: false, message: `could not rename it (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
}
