import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { config, ponder, resetWorkbench, settings, ui, waitFor } from '../lib';
import { answerScenario, traceOf, wireForSuite } from './chatHelpers';
import { differences, keep, quickInput, turn } from './agentHelpers';
import { VIEW } from './sidebarEvents';

/**
 * Agent mode in a window with two folders, across a window reload. Load 0: a task runs in the
 * second folder (the one the active editor is in) and its changed file opens from that folder.
 * Then the runner reloads the workbench page: a fresh extension host on the same profile and
 * workspace storage. Load 1: Undo Agent Changes, run from the command palette, puts the second
 * folder back byte for byte from the checkpoint on disk; the first folder was never touched.
 */
const sample = () => path.join(config().repoRoot, 'test', 'integration', 'workspaces', 'sample');
const folders = () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
/** What load 0 leaves for load 1, beside the group's profile. */
const stateFile = () => path.join(path.dirname(config().userDataDir), 'agent-reload-state.json');
interface State { taskId: string; pid: number; root: string }

const CART_FIX = 'if (index >= 0) this.items.splice(index, 1);';
const DISCOUNT = "export const discount = (total: number): number => (total > 100 ? total * 0.9 : total);\n";

describe('Agent mode across a window reload, in a multi-root workspace', function () {
  this.timeout(120_000);

  before(async () => {
    await ponder.activate();
  });

  if (config().load === 0) {
    const wire = wireForSuite();
    after(async () => { await settings.restore(); });

    it('a task runs in the folder of the active editor (the second of two), and its changed file opens from that folder', async () => {
      assert.equal(folders().length, 2, `a window with two folders: ${folders().join(', ')}`);
      const [first, second] = folders();
      await resetWorkbench();
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(second, 'src', 'format.ts')));
      await settings.set('ponder.commands.target', 'sidebar');
      wire().enqueue(
        turn('reload-edit', [
          ['edit_file', { path: 'src/cart.ts', edits: [{ old_text: 'this.items.splice(index, 1);', new_text: CART_FIX }] }],
          ['write_file', { path: 'src/discount.ts', content: DISCOUNT }],
          ['delete_file', { path: 'test/pricing.test.mjs' }],
        ]),
        answerScenario('reload-done', 'remove() ignores unknown skus; discount.ts added; the old test removed.'),
      );
      const started = vscode.commands.executeCommand<string | undefined>('ponder.agent.start', 'Fix remove(), add a discount, drop the old test');
      // The first task in this workspace proposes the checks found; Escape runs this one without.
      await quickInput(/the checks the agent runs/, 'the checks proposed');
      await ui.press('Escape');
      const taskId = await started;
      assert.ok(taskId, 'the task ran in the sidebar');
      const trace = await traceOf(taskId);
      const start = trace.find((e) => e.type === 'agent.task.start');
      assert.equal(start?.root, second, 'the task ran in the second folder');
      assert.equal(trace.find((e) => e.type === 'agent.task.end')?.reason, 'done');
      // On disk: the second folder changed, the first did not.
      assert.deepEqual(differences(second, sample()), ['src/cart.ts', 'src/discount.ts', 'test/pricing.test.mjs']);
      assert.deepEqual(differences(first, sample()), []);

      // The sidebar's "Files changed": clicking src/cart.ts opens the second folder's file, not the first's.
      await resetWorkbench();
      await vscode.commands.executeCommand('ponder.showTrace', taskId);
      await waitFor(async () => /Files changed \(3\)/.test(await ui.webviewText(VIEW, '.agent').catch(() => '')), { message: 'the task\'s files in the sidebar' });
      assert.ok(await ui.webviewClick(VIEW, '.agent-files li[data-path="src/cart.ts"] button'), 'clicked src/cart.ts');
      const opened = await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath, { message: 'an editor opened' });
      assert.equal(opened, path.join(second, 'src', 'cart.ts'));
      assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /if \(index >= 0\)/);

      fs.writeFileSync(stateFile(), JSON.stringify({ taskId, pid: process.pid, root: second } satisfies State));
    });
  } else {
    it('after the reload (a new extension host), Undo Agent Changes from the palette restores the folder byte for byte', async () => {
      const state = JSON.parse(fs.readFileSync(stateFile(), 'utf8')) as State;
      assert.notEqual(process.pid, state.pid, 'a new extension host runs this load');
      const [first, second] = folders();
      assert.equal(second, state.root);
      assert.deepEqual(differences(second, sample()), ['src/cart.ts', 'src/discount.ts', 'test/pricing.test.mjs'], 'the agent\'s changes are still there');
      await resetWorkbench();

      // As a user would: the palette lists Undo Agent Changes (a checkpoint of this workspace is on disk) and runs it.
      await ui.press('F1');
      await ui.type('Ponder: Undo Agent Changes');
      const listed = await quickInput(/Ponder: Undo Agent Changes/, 'Undo Agent Changes in the command palette');
      assert.match(listed, /Undo Agent Changes/);
      await ui.press('Enter');
      const note = await waitFor(async () => (await ui.notifications()).find((n) => /Undo Agent Changes:/.test(n.message)), { message: 'the undo\'s message' });
      assert.match(note.message, /restored src\/cart\.ts/);
      await keep(await ui.screenshot('agent-undo-after-reload'), 'agent-undo-after-reload');

      // Byte for byte: the edited file, the created one gone, the deleted one back; git sees nothing changed.
      assert.deepEqual(differences(second, sample()), []);
      assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: second, encoding: 'utf8' }), '');
      assert.deepEqual(differences(first, sample()), [], 'the first folder was never touched');
    });
  }
});
