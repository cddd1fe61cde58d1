// Starts code-server (a real VS Code server: workbench, extension host) on 127.0.0.1 for one
// profile, and installs .vsix files into an extensions folder.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Settings every test profile gets: quiet, offline, no prompts that cover the window. */
export const BASE_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'git.openRepositoryInParentFolders': 'never',
};

function baseArgs(profile) {
  return [
    '--config', profile.configFile,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
  ];
}

/** Writes an empty code-server config so it never reads or writes ~/.config/code-server. */
export function prepareProfile(profile) {
  fs.mkdirSync(profile.userDataDir, { recursive: true });
  fs.mkdirSync(profile.extensionsDir, { recursive: true });
  fs.writeFileSync(profile.configFile, 'auth: none\nbind-addr: 127.0.0.1:0\ncert: false\n');
}

export function installExtensions({ node, codeServer }, profile, vsixPaths) {
  prepareProfile(profile);
  const args = [codeServer, ...baseArgs(profile), '--force'];
  for (const vsix of vsixPaths) args.push('--install-extension', vsix);
  const r = spawnSync(node, args, { encoding: 'utf8' });
  const out = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0 || /Failed Installing/i.test(out)) {
    throw new Error(`Installing ${vsixPaths.map((v) => path.basename(v)).join(', ')} into code-server failed (exit ${r.status}):\n${out}`);
  }
  return out;
}

/**
 * Launches code-server for `folder`; resolves once it listens, with its URL and a stop function.
 * Its output goes to `logFile` (read it when the extension host misbehaves).
 */
export async function launchCodeServer({ node, codeServer }, profile, { folder, env, logFile, port = 0 }) {
  prepareProfile(profile);
  const args = [codeServer, ...baseArgs(profile), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--ignore-last-opened'];
  if (folder) args.push(folder);
  const log = fs.openSync(logFile, 'w');
  const child = spawn(node, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let closed = false;
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start listening in 60 s; see ${logFile}`)), 60_000);
    const onData = (chunk) => {
      if (!closed) fs.writeSync(log, chunk);
      output += chunk.toString();
      const m = /HTTP server listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code} before listening:\n${output.slice(-2000)}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM'); // its process group: the server and its extension hosts
    } catch {
      /* already gone */
    }
    const timeout = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5000);
    await exited;
    clearTimeout(timeout);
    closed = true;
    fs.closeSync(log);
  };
  return { url, stop, child };
}
