import { renderInstructionFiles } from '../../instructions/render';
import type { ToolRunner } from '../../tools/runner';
import { fitHistory, systemInstructions, type HistoryFit } from '../messages';
import { focusHeadline, renderFocus, resolveFocus, SelectionError, type Focus } from '../selection';
import type { RequestContext } from './context';

/** Tokens kept free beyond the output reserve: message framing the tokenizer does not see. */
export const FRAMING_MARGIN = 64;

/** Everything in the prompt but the packed context: known before any endpoint is chosen. */
export interface PromptParts {
  /** The developer message: Ponder's rules, the tools note, the repository's instruction files, the task. */
  instructions: string;
  /** The repository's instruction files as rendered into `instructions` ('' when none). */
  repoInstructions: string;
  history: HistoryFit;
  /** The selection (or cursor and its symbol), quoted whatever the packer does. */
  focus?: Focus;
  /** Why the selection cannot be quoted (lines outside the file): the request is refused. */
  focusError?: string;
  focusTokens: number;
  toolTokens: number;
  /** Instructions + history + question + tool schemas + focus + framing: the window minus these is what context may use. */
  fixedTokens: number;
}

/** Stage: the fixed part of the prompt and its size. */
export async function preparePrompt(ctx: RequestContext, tools: { runner?: ToolRunner; toolTokens: number }): Promise<PromptParts> {
  const { input, count } = ctx;
  const repoInstructions = renderInstructionFiles(input.instructionFiles ?? []);
  const instructions = systemInstructions({ command: input.command, instructions: input.instructions, toolsOffered: !!tools.runner, repoInstructions });
  const history = fitHistory(input.history ?? [], input.historyTokens ?? 8000, count);
  let focus: Focus | undefined;
  let focusError: string | undefined;
  const w = input.workspace;
  if (w?.activeFile && (w.selection || w.cursor !== undefined)) {
    try {
      focus = await resolveFocus(w.port, w.activeFile, w.selection, w.selection ? undefined : w.cursor);
    } catch (err) {
      if (!(err instanceof SelectionError)) throw err;
      focusError = err.message;
    }
  }
  const focusTokens = focus ? count(renderFocus(focus)) + count(focusHeadline(focus)) + 40 : 0;
  const fixedTokens = count(instructions) + history.tokens + count(input.prompt) + tools.toolTokens + focusTokens + FRAMING_MARGIN;
  return { instructions, repoInstructions, history, focus, focusError, focusTokens, toolTokens: tools.toolTokens, fixedTokens };
}
