import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ponder, resetWorkbench, settings, sleep, ui, waitFor, workspaceRoot } from '../lib';
import { answerScenario, messagesOf, nextAnswer, pendingApprovals, renderedAnswer, sendChat, traceOf, waitForApproval, wireForSuite } from './chatHelpers';
import { agentTask } from './agentEvents';
import { keep, quickInput, turn } from './agentHelpers';
import { feed, newRequestId, VIEW } from './sidebarEvents';

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

  it('the sidebar shows a task as one item: plan, checks with pass/fail, files changed, each step with its own reasoning, tool calls, diffs, checks and cost, Undo and Review', async () => {
    const id = newRequestId('agent');
    // Still running: the plan's current item, step 3 running its check.
    await feed(agentTask(id, Date.now() - 10_000, { ended: false }));
    const running = await waitFor(async () => { const t = await ui.webviewText(VIEW, '.agent'); return /Step 3/.test(t) ? t : ''; }, { message: 'the running agent task in the sidebar' });
    assert.match(running, /Working/);
    assert.match(running, /Plan\s+0 of 3 done/);
    assert.match(running, /Guard remove\(\) against an unknown sku/);
    assert.doesNotMatch(running, /Review changes/, 'no Review or Undo while the task runs');
    const live = await ui.webviewEval<{ running: string[]; checks: string[] }>(VIEW, () => ({
      running: [...document.querySelectorAll('.step.step-running')].map((s) => (s as HTMLElement).dataset.step ?? ''),
      checks: [...document.querySelectorAll('.step[data-step="3"] .step-checks .check')].map((c) => (c as HTMLElement).dataset.state ?? ''),
    }));
    assert.deepEqual(live, { running: ['3'], checks: ['running'] }, 'step 3 runs, its check under it');

    await feed(agentTask(id, Date.now() - 10_000).slice(agentTask(id, 0, { ended: false }).length));
    const text = await waitFor(async () => { const t = await ui.webviewText(VIEW, '.agent'); return /Checks pass/.test(t) ? t : ''; }, { message: 'the finished agent task' });
    assert.match(text, /Plan\s+3 of 3 done/);
    assert.match(text, /The checks pass \(npm test\)\./);
    assert.match(text, /4 steps · 13,530 tokens · \$0\.0141/);
    assert.match(text, /Files changed \(2\)/);
    assert.match(text, /src\/cart\.ts\s+edited\s+\+1 −1/);
    assert.match(text, /test\/cart\.test\.mjs\s+created\s+\+3 −0/, 'a created file: every line new, even after an edit');
    // Each step with its own work: what it thought, what it called, what it changed, the checks it ran, its cost.
    const steps = await ui.webviewEval<Array<{ step: string; tools: string[]; files: string[]; checks: string[]; reasoning: string; text: string }>>(VIEW, () => [...document.querySelectorAll('.step')].map((el) => {
      const s = el as HTMLElement;
      const all = (sel: string, attr: string) => [...s.querySelectorAll(sel)].map((x) => (x as HTMLElement).getAttribute(attr) ?? '');
      return {
        step: s.dataset.step ?? '', tools: all('.step-tool', 'data-tool-id'), files: all('.step-file', 'data-path'), checks: all('.step-checks .check', 'data-state'),
        reasoning: s.querySelector('.step-reasoning .reasoning-body')?.textContent?.trim() ?? '', text: s.innerText,
      };
    }));
    assert.deepEqual(steps.map((s) => [s.step, s.tools, s.files, s.checks]), [
      ['1', ['c1', 'c2', 'c3'], ['src/cart.ts', 'test/cart.test.mjs'], []],
      ['2', ['c4'], [], ['failed']],
      ['3', ['c5', 'c6'], ['test/cart.test.mjs'], ['passed']],
      ['4', ['c7'], [], []],
    ]);
    assert.deepEqual(steps.map((s) => s.reasoning), ['The bug is in remove(): indexOf returns -1 for an unknown sku.', 'Now run the tests.', 'The test had the wrong guard.', '']);
    assert.match(steps[0].text, /\$0\.0031/);
    assert.match(steps[0].text, /update_plan: 0 of 3 done/);
    assert.match(steps[0].text, /edit_file src\/cart\.ts/);
    assert.match(steps[1].text, /\$0\.0032/);
    assert.match(steps[1].text, /npm test\s+fail \(exit 1\)/);
    assert.match(steps[1].text, /expected 2 items, got 1/, 'the failing output is shown under the step that ran it');
    assert.match(steps[2].text, /npm test\s+pass/);
    assert.match(steps[3].text, /update_plan: 3 of 3 done/);
    // Each tool call once in the whole item (no second list below the steps), and the reasoning only in its steps.
    const shown = await ui.webviewEval<{ ids: string[]; lists: number; reasoning: number }>(VIEW, () => ({
      ids: [...document.querySelectorAll('.detail [data-tool-id]')].map((x) => (x as HTMLElement).dataset.toolId ?? ''),
      lists: document.querySelectorAll('.detail ol.tools').length,
      reasoning: document.querySelectorAll('.detail section.reasoning, .detail details.reasoning').length,
    }));
    assert.deepEqual(shown, { ids: ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'], lists: 0, reasoning: 0 });
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

const PLAN = ['Guard remove() against an unknown sku', 'Add a test for it', 'Run the tests'];
const plan = (done: number) => ({ items: PLAN.map((text, i) => ({ text, status: i < done ? 'done' : i === done ? 'in_progress' : 'pending' })) });
/** The agent's test, first with a mistake (`index > 0`), which the failing check makes it fix. */
const agentTest = (guard: string) => `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport fs from 'node:fs';\n\ntest('remove() ignores an unknown sku', () => {\n  assert.match(fs.readFileSync('src/cart.ts', 'utf8'), /if \\(${guard}\\) this\\.items\\.splice/);\n});\n`;

describe('Agent mode end to end: @ponder /agent, Review, Undo', function () {
  this.timeout(180_000);
  const wire = wireForSuite();
  const root = () => workspaceRoot().fsPath;
  const cart = () => path.join(root(), 'src/cart.ts');
  const newTest = () => path.join(root(), 'test/cart.test.mjs');
  let cartBefore: Buffer;
  let taskId = '';

  before(async () => {
    await ponder.activate();
    cartBefore = fs.readFileSync(cart());
  });
  after(async () => {
    // Leave the workspace as the sample has it, whatever happened above.
    fs.writeFileSync(cart(), cartBefore);
    fs.rmSync(newTest(), { force: true });
    await settings.restore();
  });

  it('@ponder /agent: proposes the checks once, plans, edits two files, a check fails then passes; the chat and the sidebar follow it', async () => {
    await resetWorkbench();
    wire().enqueue(
      turn('plan', [['update_plan', plan(0)]], 'The bug is in remove(): findIndex gives -1 for an unknown sku.'),
      turn('edit', [
        ['edit_file', { path: 'src/cart.ts', edits: [{ old_text: 'this.items.splice(index, 1);', new_text: 'if (index >= 0) this.items.splice(index, 1);' }] }],
        ['write_file', { path: 'test/cart.test.mjs', content: agentTest('index > 0') }],
      ]),
      turn('check-1', [['run_check', {}]]),
      turn('fix', [['edit_file', { path: 'test/cart.test.mjs', edits: [{ old_text: 'index > 0', new_text: 'index >= 0' }] }], ['run_check', {}]], 'The test had the wrong guard.'),
      turn('plan-done', [['update_plan', plan(3)]]),
      answerScenario('agent-done', 'remove() now ignores an unknown sku; a new test covers it and npm test passes.'),
    );
    const sent = wire().chatRequests.length;
    const before = await sendChat('@ponder /agent Make remove() ignore an unknown sku and add a test');

    // First agent task in this workspace: the checks found in package.json, proposed once.
    const proposal = await quickInput(/the checks the agent runs/, 'the checks proposed');
    assert.match(proposal, /npm test/);
    await keep(await ui.screenshot('agent-checks-proposed'), 'agent-checks-proposed');
    await ui.press('Enter');

    const answer = await nextAnswer(before, 120_000);
    taskId = answer.requestId;
    assert.equal(answer.failed, undefined, answer.markdown);
    // The pick is saved in the workspace's settings.
    const saved = JSON.parse(fs.readFileSync(path.join(root(), '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(saved['ponder.agent.checks'], [{ name: 'test', command: 'npm test' }]);
    // On disk: the fix and the (fixed) test.
    assert.match(fs.readFileSync(cart(), 'utf8'), /if \(index >= 0\) this\.items\.splice\(index, 1\);/);
    assert.equal(fs.readFileSync(newTest(), 'utf8'), agentTest('index >= 0'));
    // What the endpoint received first: the task in the user's message, the agent's tools, the check named.
    const requests = wire().chatRequests.slice(sent);
    assert.equal(requests.length, 6, 'one request per model turn');
    const first = requests[0].body ?? {};
    const task = messagesOf(first).find((m) => m.role === 'user')?.content ?? '';
    assert.match(task, /Make remove\(\) ignore an unknown sku and add a test/);
    assert.match(task, /npm test/, 'the task names the check it may run');
    const tools = ((first.tools as Array<{ function: { name: string } }> | undefined) ?? []).map((t) => t.function.name);
    for (const name of ['update_plan', 'read_file', 'edit_file', 'write_file', 'delete_file', 'rename_file', 'run_check', 'run_command']) assert.ok(tools.includes(name), `offered ${name}: ${tools.join(', ')}`);
    console.log(`agent from Chat: ${requests.length} requests to ${requests[0].path} (model ${String(first.model)}); tools offered: ${tools.join(', ')}`);
    const afterContext = task.slice(task.lastIndexOf('</workspace-data'));
    console.log(`agent from Chat: first user message (${task.length} chars; after the packed context): ${JSON.stringify(afterContext.slice(0, 700))}`);
    // In the chat: the plan as it went, each change with its diff, the check failing then passing, the summary and the buttons.
    const md = answer.markdown;
    assert.match(md, /\*\*Plan\*\* \(0 of 3 done\)/);
    assert.match(md, /\*\*src\/cart\.ts\*\* edited \(\+1 −1\)\n\n```diff\n[^]*\+\s+if \(index >= 0\) this\.items\.splice/);
    assert.match(md, /\*\*test\/cart\.test\.mjs\*\* created/);
    assert.match(md, /❌ Check `npm test` failed \(exit code 1\)/);
    assert.match(md, /✅ Check `npm test` passed/);
    assert.ok(md.indexOf('❌ Check') < md.indexOf('✅ Check'), 'failed first, then passed');
    assert.match(md, /✅ \*\*Done:\*\* The checks pass \\\(test\\\)\./);
    // The model's streamed words and Ponder's own blocks never run together ("passes.Step 6: …").
    assert.match(md, /\n\n_Step 6: /);
    assert.doesNotMatch(md, /[^\n]_Step \d+: /);
    assert.match(md, /\*\*Plan\*\* \(3 of 3 done\)/);
    assert.match(md, /\*\*Files changed \(2\):\*\*\n\n- `src\/cart\.ts` edited \(\+1 −1\)\n- `test\/cart\.test\.mjs` created/);
    assert.match(md, /\| Step \| Tokens \| Cost \| Time \|/);
    assert.match(md, /\*\*Task cost:\*\* \$\d+\.\d+ over 6 steps/);
    assert.deepEqual(answer.buttons.filter((b) => /Review|Undo/.test(b)), ['Review Changes', 'Undo Agent Changes']);
    console.log(`agent from Chat: ${/\*\*Task cost:\*\*[^\n]*/.exec(md)?.[0] ?? 'no task cost'}; ${/\*\*Files changed[^]*?(?=\n\n[^-])/.exec(md)?.[0].replace(/\n+/g, ' ') ?? 'no files'}`);
    // What the endpoint received: the failing check's output, as data in a tool message.
    const afterCheck = messagesOf(wire().chatRequests[sent + 3]?.body).filter((m) => m.role === 'tool').map((m) => m.content ?? '').join('\n');
    assert.match(afterCheck, /npm test/);
    assert.match(afterCheck, /FAIL|fail|not ok/);
    // The check ran where the user can see it: a Ponder terminal.
    assert.ok(vscode.window.terminals.some((t) => /^Ponder: npm test/.test(t.name)), `terminals: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    const shown = await renderedAnswer(/Task cost/, 30_000);
    assert.match(shown, /Review Changes/);
    await keep(await ui.screenshot('agent-chat-task'), 'agent-chat-task');

    // The same task in the sidebar: one item, plan done, the check passing, both files, the cost per step.
    await vscode.commands.executeCommand('ponder.showTrace', taskId);
    const side = await waitFor(async () => { const t = await ui.webviewText(VIEW, '.agent').catch(() => ''); return /Checks pass/.test(t) && /Files changed/.test(t) ? t : ''; }, { message: 'the task in the sidebar' });
    assert.match(side, /Plan\s+3 of 3 done/);
    assert.match(side, /6 steps/);
    assert.match(side, /src\/cart\.ts/);
    assert.match(side, /test\/cart\.test\.mjs/);
    // Each turn's work under its own step: the edits in step 2, the failing check in 3, the fix and the passing check in 4.
    const grouped = await ui.webviewEval<Array<[string, string[], string[], string[]]>>(VIEW, () => [...document.querySelectorAll('.step')].map((el) => {
      const all = (sel: string, attr: string) => [...el.querySelectorAll(sel)].map((x) => x.getAttribute(attr) ?? '');
      const tools = [...el.querySelectorAll('.step-tool code')].map((c) => (c as HTMLElement).innerText.split(/[ :]/)[0]);
      return [(el as HTMLElement).dataset.step ?? '', tools, all('.step-file', 'data-path'), all('.step-checks .check', 'data-state')];
    }));
    assert.deepEqual(grouped, [
      ['1', ['update_plan'], [], []],
      ['2', ['edit_file', 'write_file'], ['src/cart.ts', 'test/cart.test.mjs'], []],
      ['3', ['run_check'], [], ['failed']],
      ['4', ['edit_file', 'run_check'], ['test/cart.test.mjs'], ['passed']],
      ['5', ['update_plan'], [], []],
      ['6', [], [], []],
    ]);
    await widenSidebar();
    await scrollBelowHeader('.detail');
    await keep(await ui.screenshot('agent-sidebar-live-task'), 'agent-sidebar-live-task');
  });

  it('Review Agent Changes opens the multi-file diff of the task; a file undone from the review is back as it was', async () => {
    assert.ok(taskId, 'the task of the previous test');
    await resetWorkbench();
    const files = await vscode.commands.executeCommand<Array<{ path: string; kind: string }>>('ponder.agent.review', taskId);
    assert.deepEqual(files?.map((f) => `${f.kind} ${f.path}`), ['edited src/cart.ts', 'created test/cart.test.mjs']);
    const tab = await waitFor(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('Ponder agent:')), { message: 'the multi-file diff tab' });
    // One count, VS Code's own: "(2 files)" once.
    assert.equal(tab.label, 'Ponder agent: Make remove() ignore an unknown sku and add a test (2 files)');
    await waitFor(async () => {
      const t = await ui.workbenchEval<string>(() => (document.querySelector('.multiDiffEditor') as HTMLElement | null)?.innerText ?? '');
      return /cart\.ts/.test(t) && /cart\.test\.mjs/.test(t) ? t : '';
    }, { message: 'both files in the multi-file diff' });
    const pick = await quickInput(/keep or undo/, 'the keep-or-undo pick beside the review');
    assert.match(pick, /cart\.test\.mjs · created/);
    await keep(await ui.screenshot('agent-review-changes'), 'agent-review-changes');

    // Undo only the new test file, from its row in the pick: it is removed; src/cart.ts stays changed.
    await ui.click('.quick-input-list .monaco-list-row:has-text("cart.test.mjs")');
    await ui.click('.quick-input-list .monaco-list-row:has-text("cart.test.mjs") .action-label[aria-label^="Undo this file"]');
    await waitFor(() => !fs.existsSync(newTest()), { message: 'the created test file removed' });
    assert.match(fs.readFileSync(cart(), 'utf8'), /if \(index >= 0\)/, 'the other file is untouched');
    await quickInput(/src\/cart\.ts/, 'one file left in the pick');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('Undo Agent Changes puts every remaining file back byte for byte and says so in the task', async () => {
    const said = await vscode.commands.executeCommand<string>('ponder.agent.undo', taskId);
    assert.match(said ?? '', /restored src\/cart\.ts/);
    assert.ok(fs.readFileSync(cart()).equals(cartBefore), 'src/cart.ts has its original bytes');
    assert.equal(fs.existsSync(newTest()), false);
    await vscode.commands.executeCommand('ponder.showTrace', taskId);
    await waitFor(async () => /Undo Agent Changes: restored src\/cart\.ts/.test(await ui.webviewText(VIEW)), { message: 'the undo noted under the task in the sidebar' });
    // The sidebar no longer offers Review and Undo for changes that are gone, and marks each file.
    const after = await waitFor(() => ui.webviewEval<{ buttons: number; said: string; files: string[] }>(VIEW, () => ({
      buttons: document.querySelectorAll('.agent-actions button').length,
      said: document.querySelector('.agent-decided')?.textContent ?? '',
      files: [...document.querySelectorAll('.agent-files .file')].map((f) => `${(f as HTMLElement).dataset.path} ${(f as HTMLElement).dataset.decided ?? ''}`),
    })).then((s) => (s.said ? s : undefined)), { message: 'the task marked as undone in the sidebar' });
    assert.deepEqual(after, { buttons: 0, said: 'Changes undone: the files are back as they were before the task.', files: ['src/cart.ts undone', 'test/cart.test.mjs undone'] });
    await scrollBelowHeader('.detail');
    await keep(await ui.screenshot('agent-sidebar-undone'), 'agent-sidebar-undone');
    // Nothing left: a second undo says so and changes nothing.
    const again = await vscode.commands.executeCommand<string>('ponder.agent.undo', taskId);
    assert.match(again ?? '', /nothing to undo/);
  });

  it('Start Agent Task from the palette; a command asks, an allow-listed one does not; Undo asks before overwriting the user\'s own edit', async () => {
    await resetWorkbench();
    await settings.set('ponder.commands.target', 'sidebar');
    await settings.set('ponder.agent.allowedCommands', ['node --version']);
    const format = path.join(root(), 'src/format.ts');
    const formatBefore = fs.readFileSync(format);
    const agentFormat = "export function formatPrice(amount: number, currency = 'USD'): string {\n  return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: 2 }).format(amount);\n}\n";
    wire().enqueue(
      turn('format', [['write_file', { path: 'src/format.ts', content: agentFormat }]]),
      turn('allowed', [['run_command', { command: 'node --version' }]]),
      turn('asks', [['run_command', { command: 'git status --short' }]]),
      answerScenario('format-done', 'Prices now always show two decimals.'),
    );
    const started = vscode.commands.executeCommand<string>('ponder.agent.start');
    await quickInput(/Start Agent Task/, 'the task input box');
    await ui.type('Format prices with two decimals');
    await ui.press('Enter');
    const pending = await waitForApproval('run_command', 60_000);
    assert.match(pending.detail, /Ponder wants to run: "git status --short"/, 'the command that is not allow-listed asks');
    assert.equal((await pendingApprovals()).length, 1);
    await vscode.commands.executeCommand('ponder.resolveToolApproval', { requestId: pending.requestId, callId: pending.callId, allow: true });
    const id = await started;
    assert.ok(id, 'the task ran in the sidebar');
    const trace = await traceOf(id);
    const asked = trace.filter((e) => e.type === 'tool.approval' && e.state === 'asked');
    assert.equal(asked.length, 1, 'only git status asked; node --version was allow-listed');
    assert.equal(fs.readFileSync(format, 'utf8'), agentFormat);

    // The user edits the file the agent wrote (typed, not saved), then asks to undo.
    const doc = await vscode.workspace.openTextDocument(format);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// my own note\n'));
    assert.equal(doc.isDirty, true);
    const undone = vscode.commands.executeCommand<string>('ponder.agent.undo');
    const dialog = await waitFor(async () => ui.workbenchEval<string>(() => (document.querySelector('.monaco-dialog-box') as HTMLElement | null)?.innerText ?? ''), { message: 'undo asking before it overwrites' });
    assert.match(dialog, /You changed src\/format\.ts after the agent did\. Undo Agent Changes would overwrite your changes\./);
    assert.match(dialog, /Unsaved changes in src\/format\.ts would be discarded/);
    await keep(await ui.screenshot('agent-undo-asks'), 'agent-undo-asks');
    assert.ok(!fs.readFileSync(format).equals(formatBefore), 'nothing is undone before the answer');
    await ui.click('.monaco-dialog-box .monaco-button:has-text("Overwrite My Changes")');
    assert.match((await undone) ?? '', /restored src\/format\.ts/);
    assert.ok(fs.readFileSync(format).equals(formatBefore), 'src/format.ts has its original bytes');
    await waitFor(() => !doc.isDirty && doc.getText() === formatBefore.toString('utf8'), { message: 'the editor shows the restored file' });
  });
});
