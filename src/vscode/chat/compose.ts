import * as path from 'node:path';
import type { RequestCommand } from '../../core/events';
import { commandInstructions, userPrompt, type ChatCommand } from './prompts';
import { diagnosticsText, workingTreeDiff, type RequestScope } from './scope';

export interface ComposedRequest {
  command: RequestCommand;
  prompt: string;
  instructions?: string;
  /** Said once in the answer (e.g. "no changes to review"). */
  notes: string[];
}

/**
 * The request for a chat message or a palette command: the user's words (or the command's
 * default question), plus what the command needs: the selection's problems for /fix, the
 * working-tree diff for /review without a selection, and any attached text values.
 */
export async function composeRequest(command: ChatCommand | undefined, typed: string, scope: RequestScope, askCommand: RequestCommand = 'chat'): Promise<ComposedRequest> {
  const notes: string[] = [];
  const parts = [userPrompt(command, typed)];
  if (command && !scope.activeFile && command !== 'review') {
    notes.push(`No code is selected: open a file and select the code to ${command}, or attach it with #file. Answering from the repository context.`);
  }
  if (command === 'fix') {
    const problems = diagnosticsText(scope.activeFile, scope.selection);
    const where = scope.activeFile ? path.basename(scope.activeFile) + (scope.selection ? ` lines ${scope.selection[0]}-${scope.selection[1]}` : '') : '';
    if (problems) parts.push(`Problems VS Code reports in ${where}:\n${problems}`);
    else if (scope.activeFile) notes.push(`VS Code reports no problems in ${where}; Ponder looks for bugs by reading the code.`);
  }
  if (command === 'review' && !scope.selection) {
    const { diff, problem } = await workingTreeDiff();
    if (diff) parts.push(`The working-tree changes (git diff HEAD):\n\`\`\`diff\n${diff}\n\`\`\``);
    if (problem) notes.push(problem);
  }
  for (const extra of scope.extras) parts.push(extra);
  return { command: command ?? askCommand, prompt: parts.join('\n\n'), instructions: commandInstructions(command), notes };
}
