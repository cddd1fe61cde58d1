import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { PONDER_VENDOR, uriResolver, type ChatTranscript, type PonderChatMetadata } from '../chat/participant';
import { UNTRUSTED_AGENT, type VsCodeAgent } from './agentRunner';
import { AgentChatRenderer } from './chatRender';

const MAX_TRANSCRIPTS = 20;

/**
 * `@ponder /agent <task>`: runs the task and renders it into the response as it goes (see
 * AgentChatRenderer). Cancelling from the Chat view stops the task; what it changed so far stays
 * in the task's checkpoint, undoable.
 */
export function createAgentChatHandler(agent: VsCodeAgent, transcripts: ChatTranscript[]): vscode.ChatRequestHandler {
  return async (request, _context, stream, token) => {
    const requestId = randomUUID();
    const renderer = new AgentChatRenderer(stream, uriResolver());
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    const task = request.prompt.trim();
    const remember = (failed?: string): void => {
      transcripts.push({
        requestId, prompt: request.prompt, command: 'agent', markdown: renderer.base.transcript.join(''), buttons: renderer.base.buttons,
        progress: renderer.base.progressShown, references: [], ...(failed ? { failed } : {}),
      });
      if (transcripts.length > MAX_TRANSCRIPTS) transcripts.splice(0, transcripts.length - MAX_TRANSCRIPTS);
    };
    try {
      if (!task) {
        renderer.base.markdown('Say what the agent should do, for example: `@ponder /agent make remove() ignore unknown skus and add a test`.\n');
        remember('usage');
        return { metadata: { ponder: true, requestId, command: 'agent', answer: '', failed: true } satisfies PonderChatMetadata };
      }
      stream.progress('Starting the agent…');
      const picked = request.model?.vendor === PONDER_VENDOR ? request.model.id.replace(/^ponder\//, '') : undefined;
      const outcome = await agent.run({
        task, taskId: requestId, profileId: picked, signal: controller.signal,
        onEvent: (e) => renderer.onEvent(e),
        onNote: (text) => renderer.base.markdown(`_${text}_\n\n`),
      });
      if (!outcome.ok) {
        renderer.base.markdown(`**No agent here:** ${outcome.refused}\n`);
        if (outcome.refused === UNTRUSTED_AGENT) {
          renderer.base.buttons.push('Manage Workspace Trust');
          stream.button({ command: 'workbench.trust.manage', title: 'Manage Workspace Trust' });
        }
        remember('refused');
        return { metadata: { ponder: true, requestId, command: 'agent', answer: '', failed: true } satisfies PonderChatMetadata, errorDetails: { message: 'The agent did not start (the reason is above).' } };
      }
      renderer.finish(requestId);
      const r = outcome.result;
      remember(r.ok ? undefined : r.reason);
      const metadata: PonderChatMetadata = { ponder: true, requestId, command: 'agent', answer: r.answer || r.message, ...(r.ok ? {} : { failed: true }) };
      // Checks still failing or a limit reached are outcomes the summary explains; only a failure is marked failed.
      return r.reason === 'error' ? { metadata, errorDetails: { message: `The task failed: ${r.message}` } } : { metadata };
    } finally {
      cancel.dispose();
      renderer.dispose();
    }
  };
}
