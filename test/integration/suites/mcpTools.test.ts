import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { config, ponder, resetWorkbench, ui, waitFor, workspaceRoot } from '../lib';
import { answerScenario, chatResponses, messagesOf, renderedAnswer, sendChat, toolCallScenario, traceOf, wireForSuite, type TraceEvent } from './chatHelpers';

/**
 * A real MCP server from the npm registry (@modelcontextprotocol/server-everything, a
 * devDependency) configured in the workspace's .vscode/mcp.json and run by VS Code itself: its
 * tools reach @ponder through vscode.lm.tools (ponder.tools.vscodeTools offers `mcp_*` by
 * default), VS Code asks in the Chat view before a call that is not read-only (Ponder passes the
 * request's toolInvocationToken), and each call and its result are in the trace. Assertions read
 * what the wire fixture endpoint received.
 */
describe('MCP servers configured in .vscode/mcp.json, in the real Chat view', function () {
  this.timeout(150_000);
  before(async () => { await ponder.activate(); });
  const wire = wireForSuite({ recover: true });
  const mcpJson = () => path.join(workspaceRoot().fsPath, '.vscode', 'mcp.json');
  const mcpTool = (suffix: string) => vscode.lm.tools.find((t) => t.name.startsWith('mcp_') && t.name.endsWith(`_${suffix}`));
  beforeEach(async () => { await resetWorkbench(); });
  after(async () => {
    await Promise.resolve(vscode.commands.executeCommand('workbench.mcp.stopServer', '*')).catch(() => undefined);
    fs.rmSync(mcpJson(), { force: true });
    // Later suites in this window must not be offered the server's tools.
    await waitFor(() => !vscode.lm.tools.some((t) => t.name.startsWith('mcp_')), { timeoutMs: 20_000, message: 'the MCP tools gone with mcp.json' });
  });

  const seen = async () => new Set((await chatResponses()).map((t) => t.requestId));
  const answerAfter = (before: Set<string>) => waitFor(async () => (await chatResponses()).find((t) => !before.has(t.requestId)), { timeoutMs: 60_000, message: 'the next @ponder answer' });
  const offered = (i: number) => ((wire().chatRequests[i].body?.tools ?? []) as Array<{ function: { name: string; parameters: { properties: Record<string, unknown> } } }>);
  const toolMessage = (i: number) => messagesOf(wire().chatRequests[i].body).find((m) => m.role === 'tool')?.content ?? '';
  const toolEvents = (trace: TraceEvent[]) => trace.filter((e) => e.type === 'tool.call' || e.type === 'tool.result');
  /** VS Code's own confirmation inside @ponder's answer, once shown. */
  const confirmation = () => waitFor(() => ui.workbenchEval<string>(`() => { const w = document.querySelector('.interactive-session .chat-confirmation-widget-container'); return w ? w.innerText : ''; }`), { timeoutMs: 30_000, message: 'VS Code\'s confirmation in the Chat view' });

  it('VS Code starts the server from mcp.json; a read-only tool is offered with its schema, runs, and its result reaches the model and the trace', async () => {
    const server = path.join(config().repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    fs.mkdirSync(path.dirname(mcpJson()), { recursive: true });
    fs.writeFileSync(mcpJson(), JSON.stringify({ servers: { everything: { type: 'stdio', command: process.execPath, args: [server, 'stdio'] } } }, null, 2));
    // The command the "Start" code lens above the server runs, with the same arguments.
    await waitFor(async () => {
      await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { autoTrustChanges: true, waitForLiveTools: true });
      return mcpTool('get-sum');
    }, { timeoutMs: 40_000, message: 'the MCP server\'s tools in vscode.lm.tools' });
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(mcpJson()));
    await waitFor(async () => /Running[\s\S]*\d+ tools/.test(await ui.text('.monaco-editor .codelens-decoration')), { message: 'the "Running | N tools" code lens in mcp.json' });
    await ui.screenshot('mcp-json-running');
    await resetWorkbench();

    const sum = mcpTool('get-sum')!;
    wire().enqueue(toolCallScenario('mcp-sum', sum.name, { a: 2, b: 3 }), answerScenario('after-sum', '2 + 3 is 5, says the MCP server.'));
    const sent = wire().chatRequests.length;
    const before = await seen();
    await sendChat('@ponder What is 2 + 3? Use the sum tool.');
    const answer = await answerAfter(before);
    const tool = offered(sent).find((t) => t.function.name === sum.name);
    assert.ok(tool, `offered: ${offered(sent).map((t) => t.function.name).join(', ')}`);
    assert.deepEqual(Object.keys(tool.function.parameters.properties).sort(), ['a', 'b'], 'the server\'s own schema');
    assert.equal(toolMessage(sent + 1), 'The sum of 2 and 3 is 5.');
    const events = toolEvents(await traceOf(answer.requestId));
    assert.deepEqual(events.map((e) => [e.type, e.name ?? e.ok]), [['tool.call', sum.name], ['tool.result', true]]);
    assert.match(String(events[1].summary), /sum of 2 and 3 is 5/);
    await renderedAnswer(/says the MCP server/);
    await ui.screenshot('chat-mcp-tool');
  });

  it('a tool that is not read-only: VS Code asks in the Chat view; Skip tells the model it was skipped, Allow runs it', async () => {
    const toggle = mcpTool('toggle-simulated-logging');
    assert.ok(toggle, 'the server is still running from the first test');

    wire().enqueue(toolCallScenario('mcp-skip', toggle.name, {}), answerScenario('after-skip', 'You skipped the logging tool.'));
    const sent = wire().chatRequests.length;
    const before = await seen();
    await sendChat('@ponder Turn on simulated logging.');
    const asked = await confirmation();
    // VS Code's markdown puts no-break spaces between the words.
    assert.match(asked, /Run\s+Toggle\s+Simulated\s+Logging[\s\S]*everything\s+\(MCP\s+Server\)[\s\S]*Allow[\s\S]*Skip/, JSON.stringify(asked));
    await ui.screenshot('chat-mcp-confirmation');
    await ui.click('.interactive-session .chat-confirmation-widget-buttons a.monaco-button.secondary');
    const skipped = await answerAfter(before);
    // VS Code answers a skipped call itself; the model reads its words, the trace says it did not run.
    assert.match(toolMessage(sent + 1), /chose to skip the tool call/);
    const skipEvents = toolEvents(await traceOf(skipped.requestId));
    assert.deepEqual(skipEvents.map((e) => [e.type, e.name ?? e.ok]), [['tool.call', toggle.name], ['tool.result', false]]);
    assert.match(String(skipEvents[1].summary), /^skipped in VS Code's confirmation/);

    wire().enqueue(toolCallScenario('mcp-allow', toggle.name, {}), answerScenario('after-allow', 'Simulated logging is on.'));
    const sent2 = wire().chatRequests.length;
    const before2 = await seen();
    await sendChat('@ponder Turn on simulated logging, please.');
    await confirmation();
    await ui.click('.interactive-session .chat-confirmation-widget-buttons a.monaco-button.monaco-text-button:not(.secondary)');
    const allowed = await answerAfter(before2);
    assert.match(toolMessage(sent2 + 1), /^Started simulated, random-leveled logging/);
    assert.ok(toolEvents(await traceOf(allowed.requestId)).some((e) => e.type === 'tool.result' && e.ok === true));
  });
});
