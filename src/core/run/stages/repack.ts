import type { RequestContext } from './context';
import { packWorkspace, type PackResult } from './pack';

/**
 * The one place a request's context is packed again, after the first pack: when the router
 * switched to a profile whose context budget the packed context exceeds, or when the budget
 * check asked for a smaller prompt. No room (budget <= 0) means no context at all.
 */
export async function repack(ctx: RequestContext, pack: PackResult, budget: number): Promise<PackResult> {
  if (budget <= 0) return { ...pack, packed: undefined };
  return packWorkspace(ctx, budget, pack);
}
