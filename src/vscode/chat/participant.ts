import * as vscode from 'vscode';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ReasoningState } from '../../core/model/types';
import { countTokens } from '../../core/tokens';
import { compactHistory } from '../../core/run/compact';
import type { HistoryTurn } from '../../core/run/types';
import type { ChatRunner } from './chatRunner';
import { composeRequest } from './compose';
import { isChatCommand } from './prompts';
import { ChatRenderer } from './render';
import { scopeFrom } from './scope';
import { workspaceRoots } from '../editor/roots';

export const PARTICIPANT_ID = 'ponder.chat';
export const PONDER_VENDOR = 'ponder';

/** What Ponder keeps in `ChatResult.metadata`: the trace id, and the answer for later turns' history. */
export interface PonderChatMetadata {
  ponder: true;
  requestId: string;
  command: string;
  answer: string;
  failed?: boolean;
  /**
   * The endpoint's opaque reasoning state for this answer (MAI on Foundry), sent back unchanged
   * with this answer in the next turn, only to the endpoint it came from; never shown or logged.
   */
  reasoningState?: ReasoningState;
  /** "Summarize Earlier Turns": later requests in this chat send the first N turns as a summary. */
  summarizedUpTo?: number;
}

export function isPonderMetadata(value: unknown): value is PonderChatMetadata {
  const m = value as Partial<PonderChatMetadata> | undefined;
  return !!m && m.ponder === true && typeof m.requestId === 'string' && typeof m.command === 'string' && typeof m.answer === 'string';
}

/** A finished chat answer as the user saw it; kept (a few) for `ponder._test.chatResponses`. */
export interface ChatTranscript {
  requestId: string;
  prompt: string;
  command?: string;
  markdown: string;
  buttons: string[];
  /** Progress lines shown while it ran (thinking, its gist, tools). */
  progress: string[];
  references: string[];
  failed?: string;
}

function isReasoningState(v: unknown): v is ReasoningState {
  return !!v && typeof v === 'object' && typeof (v as ReasoningState).endpoint === 'string' && (v as ReasoningState).value !== undefined;
}

/** Earlier turns of this chat with Ponder: the user's words and Ponder's answers (from metadata). */
export function historyFrom(context: vscode.ChatContext): HistoryTurn[] {
  const turns: HistoryTurn[] = [];
  for (const turn of context.history) {
    if (turn instanceof vscode.ChatRequestTurn) {
      turns.push({ role: 'user', content: (turn.command ? `/${turn.command} ` : '') + turn.prompt });
    } else if (turn instanceof vscode.ChatResponseTurn) {
      const meta = turn.result.metadata;
      const answer = isPonderMetadata(meta) ? meta.answer : turn.response.map((p) => (p instanceof vscode.ChatResponseMarkdownPart ? p.value.value : '')).join('');
      const state = isPonderMetadata(meta) && isReasoningState(meta.reasoningState) ? { reasoningState: meta.reasoningState } : {};
      if (answer.trim()) turns.push({ role: 'assistant', content: answer, ...state });
      else if (turns.length && turns[turns.length - 1].role === 'user') turns.pop(); // unanswered question
    }
  }
  return turns;
}

/** Where the latest "Summarize Earlier Turns" in this chat cut the history (0: never). */
export function summaryPoint(context: vscode.ChatContext): number {
  let upTo = 0;
  for (const turn of context.history) {
    if (turn instanceof vscode.ChatResponseTurn && isPonderMetadata(turn.result.metadata)) upTo = Math.max(upTo, turn.result.metadata.summarizedUpTo ?? 0);
  }
  return upTo;
}

/** Turns a packed item's path (relative to a root) back into a file URI for references. */
export function uriResolver(): (rel: string, root?: string) => vscode.Uri | undefined {
  const roots = workspaceRoots();
  return (rel, rootName) => {
    const root = roots.find((r) => r.name === rootName) ?? roots[0];
    return root && !rel.startsWith('(') ? vscode.Uri.file(path.join(root.path, rel)) : undefined;
  };
}

const MAX_TRANSCRIPTS = 20;

/**
 * `@ponder` in the Chat view. Cancelling from the Chat view aborts the request (bridged once,
 * disposed in finally); the model is the Chat view's pick when it is one of Ponder's.
 */
export function createChatHandler(runner: ChatRunner, transcripts: ChatTranscript[], agent?: vscode.ChatRequestHandler): vscode.ChatRequestHandler {
  return async (request, context, stream, token) => {
    if (request.command === 'agent' && agent) return agent(request, context, stream, token);
    const requestId = randomUUID();
    const renderer = new ChatRenderer(stream, uriResolver());
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    const command = isChatCommand(request.command) ? request.command : undefined;
    try {
      stream.progress('Gathering context…');
      const scope = scopeFrom(request.references, !!command);
      // Opened by a palette command: the selection it read, not a possibly stale implicit reference.
      const handed = runner.paletteScope.take(command, request.prompt);
      if (handed?.activeFile) {
        const file = vscode.Uri.file(handed.activeFile);
        const sameFile = (a: vscode.Uri | vscode.Location) => (a instanceof vscode.Location ? a.uri : a).fsPath === file.fsPath;
        scope.activeFile = handed.activeFile;
        scope.selection = handed.selection;
        scope.cursor = handed.cursor;
        scope.openFiles = scope.openFiles.filter((f) => f !== handed.activeFile);
        scope.attached = [...scope.attached.filter((a) => !sameFile(a)), handed.selection ? new vscode.Location(file, new vscode.Range(handed.selection[0] - 1, 0, handed.selection[1] - 1, 0)) : file];
      }
      for (const ref of scope.attached) stream.reference(ref);
      const composed = await composeRequest(command, request.prompt, scope);
      for (const n of composed.notes) renderer.note(n);
      const picked = request.model?.vendor === PONDER_VENDOR ? request.model.id.replace(/^ponder\//, '') : undefined;
      const full = historyFrom(context);
      const summarizedUpTo = runner.takeSummarizeRequest() ? full.length : summaryPoint(context);
      const result = await runner.run({
        requestId, command: composed.command, prompt: composed.prompt, instructions: composed.instructions,
        history: summarizedUpTo ? compactHistory(full, summarizedUpTo, countTokens) : full, extraTools: runner.vscodeTools(request), activeFile: scope.activeFile, selection: scope.selection, cursor: command === 'review' ? undefined : scope.cursor, openFiles: scope.openFiles,
        profileId: picked, signal: controller.signal, onEvent: (e) => renderer.onEvent(e), keepReasoning: true,
      });
      renderer.finish(requestId, countTokens(composed.prompt) + countTokens(result.answer) + 8);
      remember(transcripts, {
        requestId, prompt: request.prompt, command: request.command, markdown: renderer.transcript.join(''), buttons: renderer.buttons, progress: renderer.progressShown,
        references: scope.attached.map((r) => (r instanceof vscode.Uri ? r : r.uri).fsPath), failed: result.error?.kind,
      });
      const metadata: PonderChatMetadata = {
        ponder: true, requestId, command: composed.command, answer: result.answer, ...(result.error ? { failed: true } : {}),
        ...(result.reasoningState ? { reasoningState: result.reasoningState } : {}), ...(summarizedUpTo ? { summarizedUpTo } : {}),
      };
      // A failed request is marked failed in the Chat view (not only "completed"); the reason is the answer's text above.
      const failed = result.error && result.error.kind !== 'cancelled';
      return failed ? { metadata, errorDetails: { message: 'Not answered: the request failed (what happened and what to do are above).' } } : { metadata };
    } finally {
      cancel.dispose();
      renderer.dispose();
    }
  };
}

function remember(list: ChatTranscript[], t: ChatTranscript): void {
  list.push(t);
  if (list.length > MAX_TRANSCRIPTS) list.splice(0, list.length - MAX_TRANSCRIPTS);
}

/** Next questions, by what was just asked. */
export const followupProvider: vscode.ChatFollowupProvider = {
  provideFollowups(result) {
    const meta = result.metadata;
    if (!isPonderMetadata(meta) || meta.failed) return [];
    switch (meta.command) {
      case 'explain': return [
        { prompt: 'Write tests for it', label: 'Write tests for this code', command: 'tests' },
        { prompt: 'How could this be simpler?', label: 'Suggest a refactoring', command: 'refactor' },
      ];
      case 'fix': return [{ prompt: 'Write a test that would have caught this bug', command: 'tests' }];
      case 'review': return [{ prompt: 'Fix the most important problem you found', command: 'fix' }];
      case 'tests': return [{ prompt: 'Which edge cases are still untested?' }];
      case 'refactor': return [{ prompt: 'Write tests that show the behaviour did not change', command: 'tests' }];
      default: return [{ prompt: 'Show me where this is implemented', label: 'Where is this implemented?' }];
    }
  },
};
