// Builds what a run installs: Ponder's .vsix (exactly what users get) and the harness .vsix with
// the selected suites bundled into it (suites must live inside an extension's folder so that
// `require('vscode')` gives them a proper API object).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

function run(cmd, args, cwd, what) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function vsce(repoRoot, cwd, outFile, extra = []) {
  const cli = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  run(process.execPath, [cli, 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', outFile, ...extra], cwd, `vsce package in ${cwd}`);
  return outFile;
}

/** `node esbuild.mjs` then `vsce package`: the .vsix a user would install. */
export function packagePonder(repoRoot, outDir, { production = false } = {}) {
  run(process.execPath, ['esbuild.mjs', ...(production ? ['--production'] : [])], repoRoot, 'node esbuild.mjs');
  return vsce(repoRoot, repoRoot, path.join(outDir, 'ponder.vsix'));
}

/**
 * Bundles the harness and `suiteFiles` (absolute paths under suitesRoot) into `harnessDir`,
 * then packages it. Returns { vsix, suiteBundles } with bundle paths relative to the extension.
 */
export async function packageHarness(repoRoot, suitesRoot, suiteFiles, harnessDir, outDir) {
  const src = path.join(repoRoot, 'test', 'integration', 'harness');
  fs.rmSync(harnessDir, { recursive: true, force: true });
  fs.mkdirSync(harnessDir, { recursive: true });
  fs.copyFileSync(path.join(src, 'package.json'), path.join(harnessDir, 'package.json'));
  fs.copyFileSync(path.join(repoRoot, 'LICENSE'), path.join(harnessDir, 'LICENSE'));
  fs.writeFileSync(path.join(harnessDir, 'README.md'), '# Ponder test harness\n\nBuilt by test/integration/run.mjs; never shipped.\n');
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'warning',
    absWorkingDir: repoRoot,
  };
  await esbuild.build({ ...common, entryPoints: { harness: path.join(src, 'extension.ts') }, outdir: path.join(harnessDir, 'dist') });
  const suiteBundles = [];
  if (suiteFiles.length) {
    // Suites' console output reaches the runner's terminal through the harness's console.
    const banner = { js: 'var console = globalThis.__ponderItConsole || globalThis.console;' };
    await esbuild.build({ ...common, banner, entryPoints: suiteFiles, outbase: suitesRoot, outdir: path.join(harnessDir, 'suites') });
    for (const f of suiteFiles) suiteBundles.push(path.join('suites', path.relative(suitesRoot, f)).replace(/\.ts$/, '.js'));
  }
  const vsix = vsce(repoRoot, harnessDir, path.join(outDir, 'ponder-test-harness.vsix'), ['--allow-missing-repository', '--skip-license']);
  return { vsix, suiteBundles };
}
