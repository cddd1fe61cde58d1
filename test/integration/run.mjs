#!/usr/bin/env node
// `npm run test:integration [-- [FILTER...] [--grep PATTERN] [--electron] [--keep]]`
// Builds and packages Ponder, bundles the suites into a test-harness extension, installs both into
// a throwaway code-server profile, opens the workbench in headless Chromium, and collects the
// results the harness reports from inside the real extension host. See ./README.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureRuntime } from './runtime.mjs';
import { packagePonder, packageHarness } from './build.mjs';
import { findSuites, groupSuites } from './suites.mjs';
import { startRpcServer } from './rpc.mjs';
import { launchBrowser, uiHandlers } from './browser.mjs';
import { BASE_SETTINGS, installExtensions, launchCodeServer } from './codeServer.mjs';
import { Report } from './report.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const workspacesRoot = path.join(repoRoot, 'test', 'integration', 'workspaces');
const resultsDir = path.join(repoRoot, 'test-results');

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    grep: { type: 'string', short: 'g' },
    file: { type: 'string', multiple: true, short: 'f' },
    electron: { type: 'boolean', default: false },
    // For benchmarks (bench/activation.mjs): other suites, the minified build, several window loads.
    'suites-root': { type: 'string', default: 'test/integration/suites' },
    production: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '60000' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (opts.help) {
  console.log(fs.readFileSync(path.join(repoRoot, 'test', 'integration', 'README.md'), 'utf8'));
  process.exit(0);
}
const suitesRoot = path.resolve(repoRoot, opts['suites-root']);
const filters = [...positionals, ...(opts.file ?? [])];
const started = Date.now();
const log = (msg) => console.log(`[integration] ${msg}`);

const HARNESS_START_MS = 120_000; // workbench load + extension host start, generous for 2 cores

/** Removes earlier runs' folders (older than an hour, or all of ours from crashed runs). */
function pruneOldRuns(testDir) {
  if (!fs.existsSync(testDir)) return;
  for (const name of fs.readdirSync(testDir)) {
    if (!name.startsWith('run-')) continue;
    const dir = path.join(testDir, name);
    if (Date.now() - fs.statSync(dir).mtimeMs > 3600_000) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function copyWorkspace(setup, groupDir, name = setup.workspace, folder = name) {
  if (name === null) return undefined;
  const src = path.join(workspacesRoot, name);
  if (!fs.existsSync(src)) throw new Error(`Workspace "${name}" not found under ${path.relative(repoRoot, workspacesRoot)}`);
  const dest = path.join(groupDir, 'workspace', folder);
  fs.cpSync(src, dest, { recursive: true });
  if (Object.keys(setup.workspaceSettings).length) {
    fs.mkdirSync(path.join(dest, '.vscode'), { recursive: true });
    const file = path.join(dest, '.vscode', 'settings.json');
    const existing = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    fs.writeFileSync(file, JSON.stringify({ ...existing, ...setup.workspaceSettings }, null, 2));
  }
  // A git repository with one commit, so "Review Changes" and git-aware context have history.
  const git = (...args) => execFileSync('git', ['-c', 'user.name=Ponder Tests', '-c', 'user.email=tests@ponder.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dest, stdio: 'ignore' });
  try {
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'sample workspace');
  } catch {
    /* no git on this machine: the workspace stays a plain folder */
  }
  return dest;
}

function userSettings(setup) {
  return {
    ...BASE_SETTINGS,
    'security.workspace.trust.enabled': setup.trust === 'untrusted',
    ...setup.settings,
  };
}

/** Writes a group's profile, workspace copy and harness config; returns where they are. */
function prepareGroup(group, { runDir, rpcUrl, launcher, harness, selected }) {
  const groupDir = path.join(runDir, group.name);
  const userDataDir = path.join(groupDir, 'user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings(group.setup), null, 2));
  const workspacePath = copyWorkspace(group.setup, groupDir);
  // Extra folders: a multi-root workspace file opens them all, `workspace` first.
  let openPath = workspacePath;
  if (workspacePath && group.setup.extraFolders.length) {
    const extra = group.setup.extraFolders.map((name, i) => copyWorkspace(group.setup, groupDir, name, `${name}-${i + 2}`));
    openPath = path.join(groupDir, 'workspace', `${group.name}.code-workspace`);
    fs.writeFileSync(openPath, JSON.stringify({ folders: [workspacePath, ...extra].map((p) => ({ path: p })) }, null, 2));
  }
  const configFile = path.join(groupDir, 'harness-config.json');
  const files = group.files.map((f) => harness.suiteBundles[selected.indexOf(f)]);
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      rpcUrl,
      launcher,
      group: group.name,
      files,
      grep: opts.grep,
      mochaPath: path.join(repoRoot, 'node_modules', 'mocha', 'lib', 'mocha.cjs'),
      timeoutMs: Number(opts.timeout),
      forbidOnly: true,
      repoRoot,
      workspacePath: workspacePath ?? '',
      userDataDir,
      resultsDir,
    }),
  );
  // PONDER_TEST=1 turns on Ponder's test-only commands (e.g. ponder._test.sidebarProbe).
  // The group's own ledger, and the checkout's own cache folder (kept warm between runs, as a
  // user's is): a test run never writes the user's real ~/.config/ponder or ~/.cache/ponder.
  const env = {
    PONDER_TEST: '1', PONDER_LEDGER: path.join(groupDir, 'ponder-ledger.jsonl'), XDG_CACHE_HOME: path.join(repoRoot, '.vscode-test', 'cache'),
    ...group.setup.env, PONDER_IT_CONFIG: configFile,
  };
  return { groupDir, userDataDir, workspacePath, openPath, configFile, env };
}

/** Resolves with { timeout: 'stall' } once `state.lastHeard` is older than `ms`. */
function stalled(state, ms) {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (Date.now() - state.lastHeard > ms) {
        clearInterval(timer);
        resolve({ timeout: 'stall' });
      }
    }, 1000);
    state.clearStall = () => clearInterval(timer);
  });
}

/** Runs one group in one code-server launch; reports into `report`. */
async function runGroup(group, ctx) {
  const { runtime, rpc, browser, report, state, extensionsDir } = ctx;
  const { groupDir, userDataDir, workspacePath, openPath, configFile, env } = prepareGroup(group, { ...ctx, rpcUrl: rpc.url, launcher: 'code-server' });
  console.log(`\n  ${group.name} (${group.files.map((f) => path.relative(suitesRoot, f)).join(', ')})`);

  const profile = { userDataDir, extensionsDir, configFile: path.join(groupDir, 'code-server.yaml') };
  const server = await launchCodeServer(runtime, profile, {
    folder: openPath,
    env,
    logFile: path.join(groupDir, 'code-server.log'),
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const consoleLog = fs.createWriteStream(path.join(groupDir, 'browser-console.log'));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
  state.page = page;
  const failShot = async (why) => {
    try {
      fs.mkdirSync(resultsDir, { recursive: true });
      const file = path.join(resultsDir, `${group.name}-${why}.png`);
      await page.screenshot({ path: file });
      return file;
    } catch {
      return 'no screenshot: the page was gone';
    }
  };
  try {
    const url = openPath === workspacePath ? (workspacePath ? `${server.url}/?folder=${encodeURIComponent(workspacePath)}` : server.url) : `${server.url}/?workspace=${encodeURIComponent(openPath)}`;
    // --repeat N (or a setup's `loads`) reloads the window N-1 times: each load starts a fresh
    // extension host that runs the suites again; the harness config says which load it is.
    const loads = Math.max(Number(opts.repeat), group.setup.loads);
    for (let load = 0; load < loads; load++) {
      fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(configFile, 'utf8')), load }));
      const done = new Promise((resolve) => (state.onDone = resolve));
      const startedSignal = new Promise((resolve) => (state.onStarted = resolve));
      if (load === 0) await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
      else await page.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
      const timeout = (ms, what) => new Promise((resolve) => setTimeout(() => resolve({ timeout: what }), ms));
      const first = await Promise.race([startedSignal.then(() => ({ started: true })), timeout(HARNESS_START_MS, 'start')]);
      if (first.timeout) {
        const shot = await failShot('no-start');
        report.problem(group.name, 'the test harness did not start', `No report from the extension host within ${HARNESS_START_MS / 1000} s. Screenshot: ${shot}\nLogs: ${groupDir} (code-server.log, user-data/logs, browser-console.log)`);
        return;
      }
      // The harness sends a heartbeat every 10 s while tests run: a minute of silence means the
      // extension host died or hangs (mocha fails slow tests on their own timeout).
      const stallMs = 60_000;
      const outcome = await Promise.race([done, timeout(group.setup.timeoutMinutes * 60_000, 'end'), stalled(state, stallMs)]);
      state.clearStall?.();
      if (outcome.timeout) {
        const shot = await failShot('timeout');
        const why = outcome.timeout === 'stall' ? `the extension host went silent for ${stallMs / 1000} s (crashed, or blocked by a test)` : `timed out after ${group.setup.timeoutMinutes} min`;
        report.problem(group.name, why, `Screenshot: ${shot}\nLogs: ${groupDir}`);
        return;
      }
      if (outcome.fatal) {
        const shot = await failShot('load-error');
        report.problem(group.name, 'the suites could not run', `${outcome.fatal.message}\n${outcome.fatal.stack ?? ''}\nScreenshot: ${shot}`);
        return;
      }
      if (outcome.failed > 0 || outcome.pending > 0) {
        const shot = await failShot('failure');
        console.log(`    (screenshot of the window: ${path.relative(repoRoot, shot)})`);
        return;
      }
    }
  } finally {
    state.clearStall?.();
    state.page = undefined;
    await context.close().catch(() => undefined);
    consoleLog.end();
    await server.stop();
  }
}

async function main() {
  const selected = findSuites(suitesRoot, filters);
  if (!selected.length) {
    console.error(`No integration suites match ${filters.length ? filters.join(', ') : '(none under test/integration/suites)'}`);
    process.exit(2);
  }
  const groups = groupSuites(suitesRoot, selected);
  const testDir = path.join(repoRoot, '.vscode-test');
  pruneOldRuns(testDir);
  const runDir = path.join(testDir, `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
  fs.mkdirSync(runDir, { recursive: true });

  log('building and packaging Ponder');
  const ponderVsix = packagePonder(repoRoot, runDir, { production: opts.production });
  const harness = await packageHarness(repoRoot, suitesRoot, selected, path.join(runDir, 'harness'), runDir);

  if (opts.electron) {
    const { runElectron } = await import('./electron.mjs');
    const code = await runElectron({ repoRoot, suitesRoot, runDir, groups, selected, harness, ponderVsix, prepareGroup, started });
    process.exit(code);
  }

  const runtime = await ensureRuntime(repoRoot, log);
  const report = new Report(repoRoot, suitesRoot);
  const state = { page: undefined, onDone: undefined, onStarted: undefined, lastHeard: Date.now(), clearStall: undefined };
  const heard = (fn) => (params) => {
    state.lastHeard = Date.now();
    return fn(params);
  };
  const rpc = await startRpcServer({
    'harness.started': heard(() => state.onStarted?.()),
    'harness.test': heard((t) => report.test(currentGroup, t)),
    'harness.done': heard((summary) => state.onDone?.(summary)),
    'harness.log': heard(({ message }) => console.log(`      ${message}`)),
    'harness.heartbeat': heard(() => undefined),
    // UI calls count as signs of life too: a test may wait on the browser for long.
    ...Object.fromEntries(Object.entries(uiHandlers(() => state.page, resultsDir)).map(([k, fn]) => [k, heard(fn)])),
  });
  const extensionsDir = path.join(runDir, 'extensions');
  log(`installing ${path.basename(ponderVsix)} and the test harness into code-server`);
  installExtensions(runtime, { userDataDir: path.join(runDir, 'install-profile'), extensionsDir, configFile: path.join(runDir, 'code-server.yaml') }, [ponderVsix, harness.vsix]);
  const browser = await launchBrowser();
  let currentGroup = '';
  let ok = false;
  try {
    for (const group of groups) {
      currentGroup = group.name;
      try {
        await runGroup(group, { runtime, runDir, rpc, browser, report, harness, state, extensionsDir, selected });
      } catch (err) {
        report.problem(group.name, 'could not run the group', err instanceof Error ? err.stack ?? err.message : String(err));
      }
    }
    report.print(Date.now() - started);
    ok = report.failed === 0 && report.tests.length > 0;
    if (report.tests.length === 0 && report.failed === 0) console.log(`No test matched${opts.grep ? ` --grep ${opts.grep}` : ''}: counted as a failure.`);
  } finally {
    await browser.close().catch(() => undefined);
    await rpc.close();
    if (ok && !opts.keep) fs.rmSync(runDir, { recursive: true, force: true });
    else log(`kept ${path.relative(repoRoot, runDir)} (profiles, logs, code-server output)`);
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
});
