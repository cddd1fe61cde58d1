import { parseArgs } from 'node:util';

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
  ponder ask [--endpoint ID | --base-url URL --model M] [--api-key-env VAR] [--root DIR]
             [--file PATH --selection START:END] [--budget N] [--tools none|read|all] [--jsonl] QUESTION
  ponder models [--endpoint ID | --base-url URL]
  ponder costs [--since DATE] [--csv]

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
  const command = load();
  return command(rest, io);
}

/** parseArgs with the error turned into a usage message naming the bad flag. */
export function parseFlags<T extends NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>>(argv: string[], options: T, allowPositionals = false) {
  return parseArgs({ args: argv, options, allowPositionals, strict: true });
}

if (require.main === module) {
  main(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`ponder: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT.usage;
    },
  );
}
