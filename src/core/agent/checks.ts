import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { AgentCheck } from './types';

/**
 * The project's checks, read from its manifests: package.json scripts (test, lint, typecheck,
 * build), a Makefile's targets, pyproject.toml's tools, Cargo.toml and go.mod. Only proposed:
 * nothing found here runs until the user accepts it into `ponder.agent.checks` (or passes
 * `--check`), since a cloned repository's scripts are its author's code.
 */

const SCRIPT_ORDER = ['typecheck', 'type-check', 'lint', 'test', 'build'];

async function readText(file: string): Promise<string | undefined> {
  try { return await fs.readFile(file, 'utf8'); } catch { return undefined; }
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}

async function packageManager(root: string): Promise<'npm' | 'pnpm' | 'yarn' | 'bun'> {
  if (await exists(path.join(root, 'pnpm-lock.yaml'))) return 'pnpm';
  if (await exists(path.join(root, 'yarn.lock'))) return 'yarn';
  if (await exists(path.join(root, 'bun.lockb')) || await exists(path.join(root, 'bun.lock'))) return 'bun';
  return 'npm';
}

export async function discoverChecks(root: string): Promise<AgentCheck[]> {
  const found: AgentCheck[] = [];
  const add = (name: string, command: string) => {
    const taken = found.some((c) => c.name === name);
    if (!found.some((c) => c.command === command)) found.push({ name: taken ? `${name} (${command.split(' ')[0]})` : name, command });
  };

  const pkgText = await readText(path.join(root, 'package.json'));
  if (pkgText) {
    let scripts: Record<string, unknown> = {};
    try { scripts = (JSON.parse(pkgText) as { scripts?: Record<string, unknown> }).scripts ?? {}; } catch { /* not JSON: nothing to propose */ }
    const pm = await packageManager(root);
    for (const name of SCRIPT_ORDER) {
      const body = scripts[name];
      // npm's placeholder test script fails on purpose: not a check.
      if (typeof body !== 'string' || /no test specified/.test(body)) continue;
      add(name.replace('type-check', 'typecheck'), name === 'test' && pm !== 'bun' ? `${pm} test` : `${pm} run ${name}`);
    }
  }

  const makefile = await readText(path.join(root, 'Makefile')) ?? await readText(path.join(root, 'makefile'));
  if (makefile) {
    for (const target of ['check', 'lint', 'test', 'build']) {
      if (new RegExp(`^${target}\\s*:(?!=)`, 'm').test(makefile)) add(target, `make ${target}`);
    }
  }

  const pyproject = await readText(path.join(root, 'pyproject.toml'));
  if (pyproject) {
    if (/^\[tool\.mypy\]/m.test(pyproject)) add('typecheck', 'mypy .');
    if (/^\[tool\.ruff/m.test(pyproject)) add('lint', 'ruff check .');
    if (/^\[tool\.pytest/m.test(pyproject) || /\bpytest\b/.test(pyproject) || await exists(path.join(root, 'tests'))) add('test', 'python -m pytest -q');
  }

  if (await exists(path.join(root, 'Cargo.toml'))) {
    add('build', 'cargo build --quiet');
    add('test', 'cargo test --quiet');
  }

  if (await exists(path.join(root, 'go.mod'))) {
    add('build', 'go build ./...');
    add('lint', 'go vet ./...');
    add('test', 'go test ./...');
  }
  return found;
}
