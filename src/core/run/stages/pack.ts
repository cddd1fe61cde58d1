import type { PackedContext } from '../../context/types';
import { instructionItems } from '../../instructions/render';
import type { ResolvedProfile } from '../../model/types';
import type { HistoryFit } from '../messages';
import type { RequestContext } from './context';

/** The packed repository context (undefined: nothing packed) and why packing failed, if it did. */
export interface PackResult {
  packed?: PackedContext;
  error?: string;
}

/**
 * Tokens the context may use on `profile`: the caller's budget wins, but never past what the
 * window holds after the output reserve and the fixed prompt.
 */
export function contextBudgetFor(contextBudget: number | undefined, fixedTokens: number): (p: ResolvedProfile) => number {
  return (p) => {
    const fits = Math.max(0, p.contextWindow - p.maxOutputTokens - fixedTokens);
    return contextBudget && contextBudget > 0 ? Math.min(contextBudget, fits) : fits;
  };
}

/**
 * Stage: pack the workspace context into `budget` tokens. `previous` is kept when there is no
 * workspace, no room (budget <= 0), a cancel, or a failure (then `error` says why).
 */
export async function packWorkspace(ctx: RequestContext, budget: number, previous: PackResult = {}): Promise<PackResult> {
  const { input, deps, signal, log } = ctx;
  const w = input.workspace;
  if (!w || budget <= 0) return previous;
  try {
    const packed = await deps.packContext({
      query: input.prompt, activeFile: w.activeFile, selection: w.selection, openFiles: w.openFiles, budget,
      exclude: w.exclude, maxFileSizeKB: w.maxFileSizeKB, repoMap: w.repoMap, timeLimitMs: w.timeLimitMs, signal,
    }, w.port, w.packOptions);
    return { ...previous, packed };
  } catch (err) {
    if (signal?.aborted) return previous;
    const error = err instanceof Error ? err.message : String(err);
    log.warn(`context packing failed: ${error}`);
    return { ...previous, error };
  }
}

/** The `context.packed` event: instruction files first (their tokens are in the fixed part), then the packed items. */
export function emitPacked(ctx: RequestContext, packed: PackedContext | undefined, profile: ResolvedProfile): void {
  const instructionList = instructionItems(ctx.input.instructionFiles ?? [], ctx.count);
  if (!packed && !instructionList.length) return;
  ctx.emitter.emit({
    type: 'context.packed', budget: packed?.budget ?? 0, used: packed?.used ?? 0, window: profile.contextWindow,
    items: [...instructionList, ...(packed?.items ?? []).map(({ text: _t, ...item }) => item)],
    withheld: packed?.withheld ?? [], partial: packed?.partial ?? false, ms: packed?.ms,
  });
}

/** What the user should know about the prompt before it goes out: no room for context, packing failed, history cut. */
export function emitPackNotices(ctx: RequestContext, pack: PackResult, profile: ResolvedProfile, budget: number, history: HistoryFit): void {
  const { input, emitter } = ctx;
  const n = (x: number) => x.toLocaleString('en-US');
  if (!pack.packed && input.workspace && budget <= 0) {
    emitter.emit({ type: 'notice', level: 'warning', message: `No repository context was packed: the ${n(profile.contextWindow)}-token window of ${profile.model ?? profile.id} is used by the output reserve (${n(profile.maxOutputTokens)}) and the prompt itself.` });
  }
  if (pack.error) emitter.emit({ type: 'notice', level: 'warning', message: `Repository context could not be gathered (${pack.error}); answering without it.` });
  const limit = input.historyTokens ?? 8000;
  if (history.dropped) emitter.emit({ type: 'notice', level: 'info', message: `${history.dropped} earlier turn${history.dropped === 1 ? ' was' : 's were'} dropped to stay within ponder.chat.historyTokens (${limit}).` });
  if (history.summarized) emitter.emit({ type: 'notice', level: 'info', message: `${history.summarized} earlier turn${history.summarized === 1 ? ' was' : 's were'} summarized to stay within ponder.chat.historyTokens (${limit}).` });
}
