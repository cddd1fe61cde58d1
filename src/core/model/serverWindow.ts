import { listModels } from './discovery';
import { withServerContextWindow } from './profiles';
import type { ModelInfo, ResolvedProfile } from './types';

/**
 * "Apply the server's window": a server that reports its window on `/v1/models` (vLLM's
 * `max_model_len`, others' `context_length`) is asked, and its figure replaces an assumed one.
 * The one place the CLI (`ponder ask`) and the extension (the model picker, Select Endpoint,
 * requests) do this.
 */

/** Whether asking the server can change this profile: not when the window came from the profile or a provider preset. */
export function asksServerWindow(p: ResolvedProfile): boolean {
  return p.contextWindowSource === 'default';
}

export interface ServerWindow {
  profile: ResolvedProfile;
  /** What the server listed (absent when it was not asked or did not answer). */
  models?: ModelInfo[];
  /** Why the server could not be asked (the profile is returned unchanged). */
  error?: string;
}

/** Asks the server once, within `timeoutMs`; never throws: a failure leaves the profile as it was. */
export async function applyServerWindow(p: ResolvedProfile, apiKey: string | undefined, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ServerWindow> {
  if (!asksServerWindow(p)) return { profile: p };
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 3000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  try {
    const models = await listModels(p, apiKey, signal);
    return { profile: withServerContextWindow(p, models), models };
  } catch (err) {
    return { profile: p, error: err instanceof Error ? err.message : String(err) };
  }
}
