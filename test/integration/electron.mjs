// `--electron`: the same suites in desktop VS Code through @vscode/test-electron, where a VS Code
// build can be downloaded (a developer's machine, hosted CI with network). Ponder is installed
// from its .vsix as in the code-server route; the harness is the development extension and
// VS Code's test runner calls its run(). The browser UI calls (`ui.*`) are unavailable here.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { startRpcServer } from './rpc.mjs';
import { Report } from './report.mjs';

export async function runElectron({ repoRoot, suitesRoot, runDir, groups, selected, harness, ponderVsix, prepareGroup, started }) {
  const version = process.env.PONDER_VSCODE_VERSION ?? 'stable';
  const vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: path.join(repoRoot, '.vscode-test', 'electron') });
  const extensionsDir = path.join(runDir, 'extensions');
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath, { reuseMachineInstall: false });
  const install = spawnSync(cli, [...cliArgs, '--extensions-dir', extensionsDir, '--install-extension', ponderVsix, '--force'], {
    encoding: 'utf8',
    shell: process.platform === 'win32',
  });
  if (install.status !== 0) throw new Error(`Installing ${ponderVsix} into VS Code failed:\n${install.stdout}\n${install.stderr}`);

  const report = new Report(repoRoot, suitesRoot);
  let currentGroup = '';
  const noUi = () => {
    throw new Error('UI calls (screenshots, webviews) need the code-server route: run without --electron.');
  };
  const rpc = await startRpcServer({
    'harness.started': () => undefined,
    'harness.test': (t) => report.test(currentGroup, t),
    'harness.done': (summary) => {
      if (summary.fatal) report.problem(currentGroup, 'the suites could not run', `${summary.fatal.message}\n${summary.fatal.stack ?? ''}`);
    },
    'harness.log': ({ message }) => console.log(`      ${message}`),
    'harness.heartbeat': () => undefined,
    ...Object.fromEntries(['screenshot', 'webviewScreenshot', 'workbenchEval', 'webviewEval', 'webviewClick', 'webviewText', 'webviews', 'click', 'text', 'press', 'type', 'notifications'].map((m) => [`ui.${m}`, noUi])),
  });
  try {
    for (const group of groups) {
      currentGroup = group.name;
      const { userDataDir, openPath, env } = prepareGroup(group, { runDir, rpcUrl: rpc.url, launcher: 'electron', harness, selected });
      console.log(`\n  ${group.name} (${group.files.map((f) => path.relative(suitesRoot, f)).join(', ')})`);
      const launchArgs = [...(openPath ? [openPath] : []), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--skip-welcome', '--skip-release-notes'];
      if (group.setup.trust === 'trusted') launchArgs.push('--disable-workspace-trust');
      try {
        await runTests({
          vscodeExecutablePath,
          extensionDevelopmentPath: path.join(runDir, 'harness'),
          extensionTestsPath: path.join(runDir, 'harness', 'dist', 'harness.js'),
          launchArgs,
          extensionTestsEnv: env,
        });
      } catch (err) {
        // Test failures are already reported one by one; this catches a VS Code that did not start.
        if (!report.tests.some((t) => t.group === group.name)) report.problem(group.name, 'VS Code did not run the suites', String(err?.message ?? err));
      }
    }
  } finally {
    await rpc.close();
  }
  report.print(Date.now() - started);
  return report.failed === 0 && report.tests.length > 0 ? 0 : 1;
}
