import { parseArgs } from 'node:util';
import { terminalSafe } from '../core/terminalText';

export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Exit codes of DESIGN.md's contract. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = `ponder: reasoning models for your code, headless.

  ponder context --root DIR --query TEXT [--file PATH --selection START:END] --budget N --json
  ponder ask [--endpoint ID | --base-url URL --model M] [--settings FILE] [--api-key-env VAR] [--root DIR]
             [--file PATH --selection START:END] [--budget N] [--tools none|read|all] [--jsonl] [--ledger FILE] QUESTION
  ponder models [--endpoint ID [--settings FILE] | --base-url URL] [--api-key-env VAR] [--json]
  ponder costs [--since DATE] [--csv] [--ledger FILE]

Each command explains its flags with --help.
Exit codes: 0 done, 1 the request failed, 2 bad usage or config.`;

// Each command loads only when named; the build puts each in its own file (esbuild.mjs, cli-split).
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => CliCommand> = {
  context: () => (require('./context') as typeof import('./context')).contextCommand,
  ask: () => (require('./ask') as typeof import('./ask')).askCommand,
  models: () => (require('./models') as typeof import('./models')).modelsCommand,
  costs: () => (require('./costs') as typeof import('./costs')).costsCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */
/** Commands that print their own, longer --help; the others print their line of USAGE (one line each). */
const SELF_HELP = new Set(['ask', 'costs', 'context', 'models']);

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? io.out : io.err)(USAGE + '\n');
    return name ? EXIT.ok : EXIT.usage;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.err(`ponder: unknown command "${name}".\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if ((rest.includes('--help') || rest.includes('-h')) && !SELF_HELP.has(name)) {
    io.out(USAGE.split('\n').filter((line) => line.startsWith(`  ponder ${name} `)).join('\n') + '\n');
    return EXIT.ok;
  }
  const command = load();
  return command(rest, io);
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

if (require.main === module) {
  // Everything printed passes terminalSafe: no control sequence from a model, repository or
  // server reaches the terminal as such (see core/terminalText).
  main(process.argv.slice(2), {
    out: (t) => process.stdout.write(terminalSafe(t)),
    err: (t) => process.stderr.write(terminalSafe(t)),
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => exitWhenFlushed(code),
    (err: unknown) => {
      process.stderr.write(terminalSafe(`ponder: ${err instanceof Error ? err.message : String(err)}\n`));
      exitWhenFlushed(EXIT.usage);
    },
  );
}

/**
 * Exits as soon as what was written has reached stdout and stderr: the command is done, and
 * waiting for the event loop to drain on its own (sockets kept alive, GC tasks) costs tens of ms.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
