// Helpers shared by the chat and command suites: the wire fixture server as Ponder's endpoint,
// sending a message through the real Chat view, and reading back what the user saw.
import * as vscode from 'vscode';
import type { ChatTranscript } from '../../../src/vscode/chat/participant';
import { chunk, startWireServer, usageChunk, BASE_USAGE, type Scenario, type Step, type WireServer } from '../../fixtures/wire';
import { settings, sleep, ui, waitFor } from '../lib';

export type { ChatTranscript };

export interface TraceEvent { type: string; [key: string]: unknown }

/** Points Ponder at the fixture server (one profile, priced so the footer shows a cost). */
export async function useWireEndpoint(url: string): Promise<void> {
  await settings.set('ponder.endpoints', [{
    id: 'wire', label: 'Wire fixture', provider: 'vllm', baseUrl: url, model: 'test-model', auth: 'none',
    contextWindow: 32768, maxOutputTokens: 4096, pricing: { inputPerMTok: 1, outputPerMTok: 2 }, maxRetries: 0,
  }]);
  await settings.set('ponder.defaultEndpoint', 'wire');
  // The model picker lists Ponder's profiles once the endpoint part has re-read the settings.
  await waitFor(async () => (await vscode.lm.selectChatModels({ vendor: 'ponder' })).some((m) => m.id === 'wire'), { message: 'the wire profile in the model picker' });
}

export const chatResponses = async (): Promise<ChatTranscript[]> => (await vscode.commands.executeCommand<ChatTranscript[]>('ponder._test.chatResponses')) ?? [];
export const pendingApprovals = async (): Promise<Array<{ requestId: string; callId: string; tool: string; detail: string }>> => (await vscode.commands.executeCommand('ponder._test.pendingApprovals')) ?? [];
export const traceOf = async (requestId: string): Promise<TraceEvent[]> => (await vscode.commands.executeCommand<TraceEvent[]>('ponder._test.trace', requestId)) ?? [];

/**
 * The fixture server as Ponder's only endpoint for a whole suite, as the suite's hooks: started
 * and pointed at before its tests, settings restored and server closed after them. With
 * `recover`, what a test left running is stopped after it, and a failed test is followed by a
 * fresh server (it may leave scripted turns queued). Call it after the suite's own `before` that
 * activates Ponder. Returns the current server.
 */
export function wireForSuite(opts: { recover?: boolean } = {}): () => WireServer {
  let wire: WireServer | undefined;
  before(async () => {
    wire = await startWireServer();
    await useWireEndpoint(wire.url);
  });
  after(async () => {
    await settings.restore();
    await wire?.close();
  });
  if (opts.recover) {
    afterEach(async function () {
      await stopLeftovers();
      if (this.currentTest?.state === 'failed') {
        await wire?.close();
        wire = await startWireServer();
        await useWireEndpoint(wire.url);
      }
    });
  }
  return () => {
    if (!wire) throw new Error('the wire server starts in the suite\'s before hook');
    return wire;
  };
}

/**
 * After a failed test: stops what is still running (denying its approvals) so the next test
 * starts clean. Returns true when anything had to be stopped.
 */
export async function stopLeftovers(): Promise<boolean> {
  const running = (await vscode.commands.executeCommand<string[]>('ponder._test.runningRequests')) ?? [];
  for (const id of running) await vscode.commands.executeCommand('ponder.cancelRequest', id);
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  return running.length > 0;
}

/** Sends `query` in a new chat through the Chat view, as a user typing it would. Returns the count before. */
export async function sendChat(query: string): Promise<number> {
  const before = (await answersSoFar()).length;
  await vscode.commands.executeCommand('workbench.action.chat.newChat');
  await vscode.commands.executeCommand('workbench.action.chat.open', { query, mode: 'ask' });
  return before;
}

/** The transcript of the next finished @ponder answer after `before`. */
export async function nextAnswer(before: number, timeoutMs = 40_000): Promise<ChatTranscript> {
  return waitFor(async () => (await answersSoFar())[before], { timeoutMs, message: 'the @ponder answer to finish' });
}

/**
 * Every answer this suite has seen, oldest first. Ponder keeps only its last 20 transcripts, so
 * in a long group a count of them stops growing; this list keeps growing, so the index that
 * sendChat returns stays valid.
 */
const seenAnswers: ChatTranscript[] = [];
async function answersSoFar(): Promise<ChatTranscript[]> {
  const known = new Set(seenAnswers.map((t) => t.requestId));
  for (const t of await chatResponses()) if (!known.has(t.requestId)) seenAnswers.push(t);
  return seenAnswers;
}

/**
 * innerText of the newest response row in the Chat view. The list is virtualized and its rows
 * reused, so the newest is the response row with the highest data-index, not the last in the DOM.
 */
const NEWEST_RESPONSE_TEXT = `() => {
  const rows = [...document.querySelectorAll('.monaco-list-row')].filter((r) => r.querySelector('.interactive-response') || r.classList.contains('interactive-response'));
  rows.sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')));
  return rows.length ? rows[rows.length - 1].innerText : '';
}`;

/** The newest answer as the Chat view renders it, once it stops changing. */
export async function renderedAnswer(expect: RegExp, timeoutMs = 20_000): Promise<string> {
  let last = '';
  let stableSince = Date.now();
  return waitFor(async () => {
    const text = await ui.workbenchEval<string>(NEWEST_RESPONSE_TEXT);
    if (text !== last) { last = text; stableSince = Date.now(); return ''; }
    return expect.test(text) && Date.now() - stableSince > 800 ? text : '';
  }, { timeoutMs, intervalMs: 250, message: `the Chat view to show ${expect}` });
}

/** The approval quick pick as the workbench shows it (title and placeholder), once visible. */
export async function approvalPromptText(expect: RegExp): Promise<string> {
  return waitFor(async () => {
    const text = await ui.workbenchEval<string>(`() => { const w = document.querySelector('.quick-input-widget'); return w && w.style.display !== 'none' ? w.innerText : ''; }`);
    return expect.test(text) ? text : '';
  }, { timeoutMs: 10_000, message: `the approval prompt to show ${expect}` });
}

/** A pending approval of `tool`, once the runner asks. */
export async function waitForApproval(tool: string, timeoutMs = 30_000): Promise<{ requestId: string; callId: string; detail: string }> {
  return waitFor(async () => (await pendingApprovals()).find((a) => a.tool === tool), { timeoutMs, message: `an approval request for ${tool}` });
}

const data = (d: unknown): Step => ({ data: d });

/** A model turn that calls one tool (with a little reasoning first). */
export function toolCallScenario(name: string, tool: string, args: unknown, reasoning = `I should call ${tool}.`): Scenario {
  return {
    name,
    steps: [
      data(chunk({ role: 'assistant', content: null, reasoning })),
      data(chunk({ tool_calls: [{ index: 0, id: `call_${name}`, type: 'function', function: { name: tool, arguments: '' } }] })),
      data(chunk({ tool_calls: [{ index: 0, function: { arguments: JSON.stringify(args) } }] })),
      data(chunk({}, 'tool_calls')),
      data(usageChunk(BASE_USAGE)),
    ],
  };
}

/** A model turn that reasons, then answers `text`. */
export function answerScenario(name: string, text: string, reasoning = 'Now I can answer.'): Scenario {
  return {
    name,
    steps: [data(chunk({ reasoning })), data(chunk({ content: text })), data(chunk({}, 'stop')), data(usageChunk(BASE_USAGE))],
  };
}

/** The messages the model received in a chat request. */
export function messagesOf(body: Record<string, unknown> | undefined): Array<{ role: string; content?: string | null; tool_call_id?: string }> {
  return (body?.messages as Array<{ role: string; content?: string | null; tool_call_id?: string }>) ?? [];
}

export { sleep };
