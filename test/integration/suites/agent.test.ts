import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { config, ponder, resetWorkbench, sleep, ui, waitFor, workspaceRoot } from '../lib';
import { agentTask } from './agentEvents';
import { feed, newRequestId, VIEW } from './sidebarEvents';

/** A screenshot kept in docs/screenshots/ (the README and the issue show them). */
async function keep(png: string, name: string): Promise<void> {
  const dir = path.join(config().repoRoot, 'docs', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(png, path.join(dir, `${name}.png`));
}

/** A sidebar as wide as people use it (the default is narrow in a 1400 px window). */
async function widenSidebar(): Promise<void> {
  const width = () => ui.workbenchEval<number>(() => document.querySelector('.part.sidebar')?.getBoundingClientRect().width ?? 0);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'src/cart.ts')), { preview: true });
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.commands.executeCommand('ponder.trace.focus');
  for (let i = 0; i < 16 && (await width()) < 520; i++) {
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
  }
  await vscode.commands.executeCommand('notifications.clearAll');
  await sleep(500);
}

/** Scrolls the sidebar so `selector` starts just below its sticky header. */
async function scrollBelowHeader(selector: string): Promise<void> {
  await ui.webviewEval(VIEW, (sel: string) => {
    const el = document.querySelector(sel);
    const header = document.querySelector('.header')?.getBoundingClientRect().height ?? 0;
    if (el) window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - header - 4);
  }, selector);
}

describe('Agent mode in the real workbench', function () {
  this.timeout(120_000);

  before(async () => {
    await ponder.activate();
    await resetWorkbench();
    await vscode.commands.executeCommand('ponder.trace.focus');
  });

  it('the sidebar shows a task as one item: plan, checks with pass/fail, files changed, steps with their cost, Undo and Review', async () => {
    const id = newRequestId('agent');
    // Still running: the plan's current item, the check that failed, the turn in progress.
    await feed(agentTask(id, Date.now() - 10_000, { ended: false }));
    const running = await waitFor(async () => { const t = await ui.webviewText(VIEW, '.agent'); return /Step 3/.test(t) ? t : ''; }, { message: 'the running agent task in the sidebar' });
    assert.match(running, /Working/);
    assert.match(running, /Plan\s+0 of 3 done/);
    assert.match(running, /Guard remove\(\) against an unknown sku/);
    assert.doesNotMatch(running, /Review changes/, 'no Review or Undo while the task runs');

    await feed(agentTask(id, Date.now() - 10_000).slice(agentTask(id, 0, { ended: false }).length));
    const text = await waitFor(async () => { const t = await ui.webviewText(VIEW, '.agent'); return /Checks pass/.test(t) ? t : ''; }, { message: 'the finished agent task' });
    assert.match(text, /Plan\s+3 of 3 done/);
    assert.match(text, /The checks pass \(npm test\)\./);
    assert.match(text, /4 steps · 13,530 tokens · \$0\.0141/);
    assert.match(text, /Files changed \(2\)/);
    assert.match(text, /src\/cart\.ts\s+edited\s+\+1 −1/);
    assert.match(text, /test\/cart\.test\.mjs\s+created\s+\+4 −1/);
    // Each step with its cost; the failed check under step 2, the passing one under step 3.
    const steps = await ui.webviewEval<Array<{ step: string; text: string }>>(VIEW, () => [...document.querySelectorAll('.step')].map((s) => ({ step: (s as HTMLElement).dataset.step ?? '', text: (s as HTMLElement).innerText })));
    assert.deepEqual(steps.map((s) => s.step), ['1', '2', '3', '4']);
    assert.match(steps[0].text, /\$0\.0031/);
    assert.match(steps[0].text, /edit_file src\/cart\.ts/);
    assert.match(steps[1].text, /npm test\s+fail \(exit 1\)/);
    assert.match(steps[1].text, /expected 2 items, got 1/, 'the failing output is shown');
    assert.match(steps[2].text, /npm test\s+pass/);
    const checks = await ui.webviewEval<string[]>(VIEW, () => [...document.querySelectorAll('.agent-checks .check')].map((c) => (c as HTMLElement).dataset.state ?? ''));
    assert.deepEqual(checks, ['passed'], 'the checks section shows the latest result');
    const buttons = await ui.webviewEval<string[]>(VIEW, () => [...document.querySelectorAll('.agent-actions button')].map((b) => (b as HTMLElement).dataset.action ?? ''));
    assert.deepEqual(buttons, ['agent-review', 'agent-undo']);
    await widenSidebar();
    await scrollBelowHeader('.detail');
    await keep(await ui.screenshot('agent-sidebar-task'), 'agent-sidebar-task');
    await ui.webviewEval(VIEW, () => document.querySelector('.agent-steps')?.scrollIntoView({ block: 'start' }));
    await keep(await ui.screenshot('agent-sidebar-steps'), 'agent-sidebar-steps');
  });
});
