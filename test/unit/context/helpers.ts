import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

/** A real temporary repository: files written to disk, optionally `git init` + commits. */
export function tempRepo(files: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-ctx-'));
  writeFiles(root, files);
  return fs.realpathSync(root);
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-C', root, ...args], {
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' },
  });
}

export function commitAll(root: string, message: string): void {
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', message);
}

export function rm(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

/** n lines of filler code, so files have a known size. */
export function filler(name: string, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(`export function ${name}${i}(value: number): number {\n  return value * ${i} + ${name.length};\n}\n`);
  return out.join('\n');
}
