#!/usr/bin/env node
// `npm start [-- --folder PATH] [--port N]`: builds and packages Ponder, installs it into a
// persistent development profile (.vscode-test/dev), and serves VS Code (code-server) on
// 127.0.0.1 with a sample workspace. Runs until Ctrl-C.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureRuntime } from '../test/integration/runtime.mjs';
import { packagePonder } from '../test/integration/build.mjs';
import { BASE_SETTINGS, installExtensions, launchCodeServer } from '../test/integration/codeServer.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: { folder: { type: 'string' }, port: { type: 'string', default: '0' } } });
const devDir = path.join(repoRoot, '.vscode-test', 'dev');
const profile = { userDataDir: path.join(devDir, 'user-data'), extensionsDir: path.join(devDir, 'extensions'), configFile: path.join(devDir, 'code-server.yaml') };
const log = (m) => console.log(`[start] ${m}`);

fs.mkdirSync(devDir, { recursive: true });
log('building and packaging Ponder');
const vsix = packagePonder(repoRoot, devDir);
const runtime = await ensureRuntime(repoRoot, log);
log(`installing ${path.relative(repoRoot, vsix)} into the dev profile`);
installExtensions(runtime, profile, [vsix]);

// First start: quiet defaults; later the developer's own changes to the profile are kept.
const settingsFile = path.join(profile.userDataDir, 'User', 'settings.json');
if (!fs.existsSync(settingsFile)) {
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({ ...BASE_SETTINGS, 'security.workspace.trust.enabled': false }, null, 2));
}

// The sample workspace is copied once, so edits made while trying Ponder survive restarts.
let folder = opts.folder && path.resolve(opts.folder);
if (!folder) {
  folder = path.join(devDir, 'workspace', 'sample');
  if (!fs.existsSync(folder)) fs.cpSync(path.join(repoRoot, 'test', 'integration', 'workspaces', 'sample'), folder, { recursive: true });
}

const server = await launchCodeServer(runtime, profile, {
  folder,
  port: Number(opts.port),
  env: {},
  logFile: path.join(devDir, 'code-server.log'),
});
const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
console.log(`\nVS Code with Ponder: ${url}\n(workspace ${folder}; log ${path.relative(repoRoot, path.join(devDir, 'code-server.log'))}; Ctrl-C stops)\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  log('stopping code-server');
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.child.on('exit', (code) => {
  if (!stopping) {
    console.error(`code-server exited (${code}); see .vscode-test/dev/code-server.log`);
    process.exit(1);
  }
});
