// The test harness: an extension installed next to Ponder in a throwaway profile. On start-up it
// runs the mocha suites the runner bundled into its folder, inside the real extension host, and
// reports each result to the runner over its loopback RPC (see ../run.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import * as vscode from 'vscode';
import { HarnessConfig, rpcCall, CONFIG_ENV, HARNESS_LOG_DIR_ENV } from './protocol';

interface MochaRunnable {
  title: string;
  fullTitle(): string;
  file?: string;
  duration?: number;
  type?: string;
}
interface MochaRunner {
  on(event: string, fn: (...args: never[]) => void): MochaRunner;
}
interface MochaSuite {
  tests: { file?: string }[];
  suites: MochaSuite[];
}
interface MochaInstance {
  suite: MochaSuite & { on(event: string, fn: () => void): void; beforeAll(title: string, fn: () => void): void };
  addFile(file: string): void;
  grep(re: RegExp): void;
  ui(name: string): void;
  run(done: (failures: number) => void): MochaRunner;
}
interface MochaCtor {
  new (options: Record<string, unknown>): MochaInstance;
  interfaces: Record<string, (suite: unknown) => void>;
  reporters: { Base: unknown };
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';

/**
 * A console that also sends its output to the runner's terminal. The extension host makes the
 * global console's methods unassignable, so suite bundles get this one through a banner that
 * shadows `console` in their module scope (see ../build.mjs).
 */
function forwardingConsole(send: (method: string, params: unknown) => void): Console {
  const methods: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug'];
  const wrapped = Object.create(console) as Console;
  for (const m of methods) {
    // defineProperty, not assignment: the inherited console methods are accessors whose setter ignores writes.
    Object.defineProperty(wrapped, m, {
      value: (...args: unknown[]) => {
        send('harness.log', { level: m, message: format(...args) });
        console[m](...args);
      },
    });
  }
  return wrapped;
}

function describeError(err: unknown): { message: string; stack?: string; expected?: string; actual?: string } {
  if (err instanceof Error) {
    const e = err as Error & { expected?: unknown; actual?: unknown; showDiff?: boolean; operator?: string };
    const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));
    return {
      message: e.message,
      stack: e.stack,
      // Only equality assertions have a meaningful expected/actual pair to print.
      ...(e.showDiff !== false && 'expected' in e && /equal/i.test(e.operator ?? 'equal') ? { expected: show(e.expected), actual: show(e.actual) } : {}),
    };
  }
  return { message: String(err) };
}

function readHarnessConfig(): HarnessConfig | undefined {
  const configPath = process.env[CONFIG_ENV];
  return configPath ? HarnessConfig.parse(JSON.parse(fs.readFileSync(configPath, 'utf8'))) : undefined;
}

/** Runs the configured suites; resolves with the counts (also reported to the runner). */
async function runSuites(config: HarnessConfig, extensionPath: string, logDir: string): Promise<{ passed: number; failed: number; pending: number }> {
  const started = Date.now();
  process.env[HARNESS_LOG_DIR_ENV] = logDir;
  const counts = { passed: 0, failed: 0, pending: 0 };
  try {
    await rpcCall(config.rpcUrl, 'harness.started', { group: config.group, files: config.files, harnessLogDir: logDir });
    // mocha is required from the repository, by path: the harness folder carries only the suites.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Mocha: MochaCtor = require(config.mochaPath);
    // Base: no console output of its own; results go to the runner, which prints them.
    const mocha = new Mocha({ reporter: Mocha.reporters.Base, ui: 'bdd', timeout: config.timeoutMs, color: false, forbidOnly: config.forbidOnly, forbidPending: true, slow: 5000 });
    // Offer both styles: describe/it (bdd, as the unit tests) and suite/test (tdd, as VS Code's samples).
    Mocha.interfaces.tdd(mocha.suite);
    if (config.grep) mocha.grep(new RegExp(config.grep));
    for (const f of config.files) mocha.addFile(path.join(extensionPath, f));
    // A suite file that registers no test fails the run instead of passing silently.
    if (!config.grep) mocha.suite.beforeAll('every suite file registers a test', function () {
      const withTests = new Set<string>();
      const visit = (s: MochaSuite) => {
        for (const t of s.tests) if (t.file) withTests.add(path.resolve(t.file));
        s.suites.forEach(visit);
      };
      visit(mocha.suite);
      const empty = config.files.filter((f) => !withTests.has(path.resolve(extensionPath, f)));
      if (empty.length) throw new Error(`Suite files that register no test (write their tests or delete them): ${empty.join(', ')}`);
    });
    // One call at a time, so the runner prints logs and results in the order they happened.
    let sent: Promise<unknown> = Promise.resolve();
    const report = (method: string, params: unknown) => {
      sent = sent.then(() => rpcCall(config.rpcUrl, method, params)).catch(() => undefined);
    };
    (globalThis as { __ponderItConsole?: Console }).__ponderItConsole = forwardingConsole(report);
    // Signs of life, so the runner tells a long test from a dead extension host.
    const heartbeat = setInterval(() => void rpcCall(config.rpcUrl, 'harness.heartbeat', {}).catch(() => undefined), 10_000);
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t: MochaRunnable) => {
        counts.passed++;
        report('harness.test', { state: 'passed', title: t.title, fullTitle: t.fullTitle(), file: t.file, durationMs: t.duration ?? 0 });
      });
      runner.on('fail', (t: MochaRunnable, err: unknown) => {
        counts.failed++;
        report('harness.test', { state: 'failed', title: t.title, fullTitle: t.fullTitle(), file: t.file, durationMs: t.duration ?? 0, error: describeError(err) });
      });
      runner.on('pending', (t: MochaRunnable) => {
        counts.pending++;
        report('harness.test', { state: 'pending', title: t.title, fullTitle: t.fullTitle(), file: t.file, durationMs: 0 });
      });
    });
    clearInterval(heartbeat);
    await sent;
    await rpcCall(config.rpcUrl, 'harness.done', { ...counts, durationMs: Date.now() - started });
    return counts;
  } catch (err) {
    // A suite that fails to load (syntax, missing export) must fail the run, not hang it.
    await rpcCall(config.rpcUrl, 'harness.done', { ...counts, failed: counts.failed + 1, durationMs: Date.now() - started, fatal: describeError(err) }).catch(
      () => undefined,
    );
    return { ...counts, failed: counts.failed + 1 };
  }
}

export interface HarnessApi {
  readonly logDir: string;
}

/** code-server route: the harness is installed and runs the suites once the window has started. */
export function activate(context: vscode.ExtensionContext): HarnessApi {
  const config = readHarnessConfig();
  // Under --electron, VS Code's test runner calls run() below instead.
  if (config && config.launcher === 'code-server') void runSuites(config, context.extensionPath, context.logUri.fsPath);
  return { logDir: context.logUri.fsPath };
}

/** @vscode/test-electron route (extensionTestsPath): rejects when any test failed. */
export async function run(): Promise<void> {
  const config = readHarnessConfig();
  if (!config) throw new Error(`${CONFIG_ENV} is not set: start the suites with \`npm run test:integration -- --electron\`.`);
  const self = vscode.extensions.getExtension<HarnessApi>('ponder-dev.ponder-test-harness');
  if (!self) throw new Error('The test harness is not loaded as a development extension.');
  const api = await self.activate();
  const counts = await runSuites(config, self.extensionPath, api.logDir);
  if (counts.failed || counts.pending) throw new Error(`${counts.failed} failed, ${counts.pending} pending`);
}

export function deactivate(): void {}
