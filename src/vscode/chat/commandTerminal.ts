import { quotedLine, visibleControls } from '../../core/terminalText';
import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import type { CommandOutcome, CommandRequest } from '../../core/editor/port';
import { commandEnv } from '../../core/editor/commandEnv';

/** Output kept for the model; core truncates further by tokens. */
const MAX_CAPTURE_CHARS = 200_000;

/**
 * Runs an approved `run_command` where the user watches it: a Pseudoterminal shows the exact
 * command, its working directory and the live output, while the same output is captured for the
 * model. The process starts at once; what it prints before the terminal opens is replayed.
 */
export function runInTerminal(request: CommandRequest, signal?: AbortSignal): Promise<CommandOutcome> {
  const writeEmitter = new vscode.EventEmitter<string>();
  const closeEmitter = new vscode.EventEmitter<number | void>();
  let opened = false;
  const backlog: string[] = [];
  const show = (text: string): void => {
    const crlf = text.replace(/\r?\n/g, '\r\n');
    if (opened) writeEmitter.fire(crlf);
    else backlog.push(crlf);
  };
  const pty: vscode.Pseudoterminal = {
    onDidWrite: writeEmitter.event,
    onDidClose: closeEmitter.event,
    open: () => {
      opened = true;
      for (const chunk of backlog.splice(0)) writeEmitter.fire(chunk);
    },
    close: () => kill(),
  };
  const terminal = vscode.window.createTerminal({ name: `Ponder: ${visibleControls(request.command.slice(0, 40))}`, pty, iconPath: new vscode.ThemeIcon('hubot') });
  terminal.show(true);

  // The command as the user approved it: one quoted line, its control characters shown, not acted on.
  show(`\x1b[2mPonder runs (approved) in ${visibleControls(request.cwd || '.')}:\x1b[0m\n$ ${quotedLine(request.command)}\n`);
  const win = process.platform === 'win32';
  // The window's environment without credentials (a key in the editor's environment, a token a
  // shell exported): the model reads what the command prints.
  const env = commandEnv(process.env);
  // Its own process group, so stopping it also stops what the shell started.
  const child = win
    ? spawn('cmd.exe', ['/d', '/s', '/c', request.command], { cwd: request.absCwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('/bin/sh', ['-c', request.command], { cwd: request.absCwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const kill = (): void => {
    try {
      if (child.pid) process.kill(win ? child.pid : -child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  let captured = '';
  let truncated = false;
  const onData = (data: Buffer): void => {
    const text = data.toString('utf8');
    show(text);
    if (captured.length < MAX_CAPTURE_CHARS) captured += text.slice(0, MAX_CAPTURE_CHARS - captured.length);
    else truncated = true;
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  return new Promise<CommandOutcome>((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, request.timeoutMs);
    const onAbort = (): void => kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    let finished = false;
    const finish = (exitCode: number | null, sig: NodeJS.Signals | null, error?: Error): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) show(`\n${error.message}\n`);
      const ending = timedOut ? `timed out after ${Math.round(request.timeoutMs / 1000)} s` : sig ? `stopped (${sig})` : `exit code ${exitCode}`;
      show(`\n\x1b[2m[${ending}]\x1b[0m\n`);
      resolve({
        exitCode,
        output: (error ? `${error.message}\n` : '') + captured + (truncated ? '\n[output truncated]' : ''),
        ...(timedOut ? { timedOut } : {}),
        ...(sig ? { signal: sig } : {}),
      });
    };
    child.once('error', (err) => finish(null, null, err));
    child.once('close', (code, sig) => finish(code, sig));
  });
}
