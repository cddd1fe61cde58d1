import { parseArgs } from 'node:util';

/**
 * What every CLI command shares: its signature, the terminal it writes to, the exit codes and
 * the flag parser. The dispatcher (main.ts) and the commands both import it; it imports neither.
 */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Exit codes of the command-line contract: 0 done, 1 the request failed, 2 bad usage or config. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad usage or config: the message names the flag or setting at fault; the command exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A bad flag, said in one line that names it and where the flags are listed. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
}

/** parseArgs, its errors turned into one line naming the bad flag (FlagError). */
export function parseFlags<T extends NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>>(argv: string[], options: T, allowPositionals = false, command = '') {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    const help = `see "ponder ${command ? `${command} ` : ''}--help"`;
    const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? '';
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new FlagError(`unknown flag ${quoted}; ${help}`);
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = quoted.split(' ')[0];
      const boolean = /does not take an argument/.test(e.message);
      throw new FlagError(boolean ? `${flag || 'a flag'} takes no value; ${help}` : `${flag || 'a flag'} needs a value; ${help}`);
    }
    if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new FlagError(`unexpected argument "${quoted}"; ${help}`);
    throw new FlagError(`${e.message.split('\n')[0]}; ${help}`);
  }
}
