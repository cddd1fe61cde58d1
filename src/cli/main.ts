import { terminalSafe } from '../core/terminalText';
import { EXIT, type CliCommand, type CliIo } from './command';

const USAGE = `ponder: reasoning models for your code, headless.

  ponder context --root DIR --query TEXT [--file PATH --selection START:END] --budget N --json
  ponder ask [--endpoint ID | --base-url URL --model M] [--settings FILE] [--api-key-env VAR] [--root DIR]
             [--file PATH --selection START:END] [--budget N] [--tools none|read|all] [--jsonl] [--ledger FILE] QUESTION
  ponder models [--endpoint ID [--settings FILE] | --base-url URL] [--api-key-env VAR] [--json]
  ponder costs [--since DATE] [--csv] [--ledger FILE]
  ponder agent [--root DIR] [--approve none|edits|commands|all] [--max-cost USD] [--max-rounds N] [--check CMD]... [--jsonl] TASK

Each command explains its flags with --help.
Exit codes: 0 done, 1 the request failed, 2 bad usage or config.`;

// Each command loads only when named; the build puts each in its own file (esbuild.mjs, cli-split).
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => CliCommand> = {
  context: () => (require('./context') as typeof import('./context')).contextCommand,
  ask: () => (require('./ask') as typeof import('./ask')).askCommand,
  models: () => (require('./models') as typeof import('./models')).modelsCommand,
  costs: () => (require('./costs') as typeof import('./costs')).costsCommand,
  agent: () => (require('./agent') as typeof import('./agent')).agentCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */
/** Commands that print their own, longer --help; the others print their line of USAGE (one line each). */
const SELF_HELP = new Set(['ask', 'costs', 'context', 'models', 'agent']);

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
