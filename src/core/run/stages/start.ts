import type { EventBody } from '../../events';
import { effortControl, withEffort } from '../../model/effort';
import type { RequestRouter } from '../router';
import { displayPathOf } from '../selection';
import type { RequestContext } from './context';
import type { PromptParts } from './prompt';

/** Stage: `request.start` for the profile the router holds now. */
export function emitStart(ctx: RequestContext, router: RequestRouter, parts: PromptParts): void {
  const { input } = ctx;
  const profile = router.profile;
  const route = router.startRoute();
  const focus = parts.focus;
  // The user's pick for this request where the endpoint takes one; else what its profile sets.
  const effort = effortControl(profile) ? withEffort(profile, input.reasoningEffort).reasoningEffort : undefined;
  ctx.emitter.emit({
    type: 'request.start', endpoint: profile.id, model: profile.model ?? 'server default', provider: profile.provider,
    command: input.command, prompt: input.prompt, workspace: input.workspace?.name,
    route,
    ...(profile.privateReasoning ? { privateReasoning: true } : {}),
    ...(focus ? { focus: { path: focus.path, lines: focus.lines, kind: focus.kind } } : {}),
    ...(effort ? { effort } : {}),
  });
}

/**
 * Stage: reasons to send nothing, before packing: the selection cannot be quoted, or not even
 * the instructions, the question and the selection fit next to the output reserve.
 */
export function refusal(ctx: RequestContext, parts: PromptParts, router: RequestRouter): EventBody<'error'> | undefined {
  const { input } = ctx;
  const { focus, focusTokens, fixedTokens } = parts;
  if (parts.focusError) {
    const w = input.workspace;
    const file = w?.activeFile ? displayPathOf(w.port, w.activeFile) : undefined;
    return {
      type: 'error', kind: 'config', message: `Not sent: ${parts.focusError}.`,
      action: 'Select lines inside the file (or reopen it if it changed on disk) and run the command again.',
      ...(file ? { fix: { title: `Open ${file}`, command: 'workbench.action.quickOpen', args: [file] } } : {}),
    };
  }
  const profile = router.profile;
  if (fixedTokens <= profile.contextWindow - profile.maxOutputTokens) return undefined;
  const what = focus ? `the ${focus.kind === 'selection' ? 'selection' : 'code around the cursor'} (${focus.path} ${focus.lines[0]}-${focus.lines[1]}, about ${focusTokens} tokens) with the instructions and question` : 'the instructions, history and question';
  const n = (x: number) => x.toLocaleString('en-US');
  return {
    type: 'error', kind: 'context-length',
    message: `Not sent: ${what} need about ${n(fixedTokens)} tokens, but ${profile.model ?? profile.id} has a ${n(profile.contextWindow)}-token window with ${n(profile.maxOutputTokens)} kept for the answer (${n(Math.max(0, profile.contextWindow - profile.maxOutputTokens))} left for the prompt).`,
    action: focus?.kind === 'selection' ? 'Select fewer lines, or use an endpoint with a larger context window.' : 'Ask a shorter question, start a new chat, or use an endpoint with a larger context window.',
  };
}
