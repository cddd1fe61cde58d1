import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const REPO = path.resolve(__dirname, '../../..');
const RULES = ['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-misused-promises'];

/** Every TypeScript file `npm run lint` checks (test workspaces are fixtures, not ours to lint). */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(REPO, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) { if (e.name !== 'node_modules' && rel !== 'test/integration/workspaces') out.push(...tsFiles(rel)); }
    else if (/\.tsx?$/.test(e.name)) out.push(rel);
  }
  return out;
}

/**
 * A promise nobody waits for loses its error: in the extension host it becomes an unhandled
 * rejection nobody sees, in the CLI it can end the process. Type-aware lint (eslint.config.mjs)
 * refuses both shapes everywhere; these tests fail if the rules are dropped, narrowed, or lose
 * the type information they need.
 */
describe('type-aware lint: promises are awaited or handled (eslint.config.mjs)', function () {
  this.timeout(180_000); // builds the TypeScript programs, as `npm run lint` does
  const eslint = new ESLint({ cwd: REPO });
  const FLOATING = [
    'async function save(): Promise<void> { throw new Error("disk full"); }',
    'export function onClick(): void { save(); }',
    'export function onEach(ids: string[]): void { ids.forEach(async () => { await save(); }); }',
    '',
  ].join('\n');

  // One file per tsconfig: root (core, vscode, cli, unit tests, bench), src/webview, test/integration.
  for (const file of ['src/core/run/runRequest.ts', 'src/vscode/extension.ts', 'src/cli/main.ts', 'src/webview/main.ts', 'test/unit/settings.test.ts', 'test/integration/harness/extension.ts']) {
    it(`reports a floating promise and an async callback where void is expected, in ${file}`, async () => {
      const [result] = await eslint.lintText(FLOATING, { filePath: path.join(REPO, file) });
      const found = result.messages.map((m) => `${m.line}:${m.ruleId}:${m.severity}`);
      assert.deepEqual(found, [`2:${RULES[0]}:2`, `3:${RULES[1]}:2`], result.messages.map((m) => m.message).join('\n'));
    });
  }

  it('refuses an async listener on a VS Code event in src/vscode (its rejection would be lost)', async () => {
    const code = [
      'import * as vscode from "vscode";',
      'export const watch = (save: () => Promise<void>): vscode.Disposable => vscode.workspace.onDidChangeConfiguration(async () => { await save(); });',
      'export const watchCaught = (save: () => Promise<void>): vscode.Disposable => vscode.workspace.onDidChangeConfiguration(() => { save().catch(() => undefined); });',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(code, { filePath: path.join(REPO, 'src/vscode/extension.ts') });
    assert.deepEqual(result.messages.map((m) => `${m.line}:${m.ruleId}`), ['2:no-restricted-syntax'], result.messages.map((m) => m.message).join('\n'));
  });

  it('covers every TypeScript file under src, test and bench, as errors with type information', async () => {
    const files = [...tsFiles('src'), ...tsFiles('test'), ...tsFiles('bench')];
    assert.ok(files.filter((f) => f.startsWith('src/')).length > 200, `expected the source files, found ${files.length}`);
    const uncovered: string[] = [];
    for (const f of files) {
      if (await eslint.isPathIgnored(path.join(REPO, f))) { uncovered.push(`${f} (ignored)`); continue; }
      const config = (await eslint.calculateConfigForFile(path.join(REPO, f))) as { rules?: Record<string, unknown>; languageOptions?: { parserOptions?: { projectService?: unknown } } };
      const off = RULES.filter((r) => { const s = config.rules?.[r]; return (Array.isArray(s) ? s[0] : s) !== 2; });
      if (off.length) uncovered.push(`${f}: ${off.join(', ')} not an error`);
      if (!config.languageOptions?.parserOptions?.projectService) uncovered.push(`${f}: no type information`);
    }
    assert.deepEqual(uncovered, []);
  });

  it('no file turns the rules off with a comment', () => {
    const offenders: string[] = [];
    for (const f of [...tsFiles('src'), ...tsFiles('test'), ...tsFiles('bench')]) {
      readFileSync(path.join(REPO, f), 'utf8').split('\n').forEach((line, i) => {
        const m = /(?:\/\/|\/\*)\s*eslint-disable(?:-next-line|-line)?(.*)$/.exec(line);
        if (!m) return;
        const named = m[1].split('--')[0].replace(/\*\/.*$/, '').trim();
        // A bare eslint-disable turns off every rule, these two included.
        if (!named || RULES.some((r) => named.includes(r))) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(offenders, []);
  });
});
