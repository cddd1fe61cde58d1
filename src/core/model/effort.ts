import { hasEffortControl } from './profiles';
import type { ReasoningEffort, ResolvedProfile } from './types';

/**
 * Reasoning effort per request: which endpoints take one, and the profile to send with it.
 * vLLM and OpenAI-style servers read `reasoning_effort`, OpenRouter `reasoning.effort`. MAI-Thinking-1
 * on Microsoft Foundry documents no effort control (the dialect's `effortControl`), so Ponder
 * neither offers nor sends one there.
 */
export const EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high'];

export function isEffort(value: unknown): value is ReasoningEffort {
  return typeof value === 'string' && (EFFORTS as readonly string[]).includes(value);
}

/** How this endpoint takes an effort, or undefined when it has no such control. */
export function effortControl(p: ResolvedProfile): 'reasoning_effort' | 'openrouter' | undefined {
  if (!hasEffortControl(p)) return undefined;
  return p.reasoningEffortStyle === 'none' ? undefined : p.reasoningEffortStyle;
}

/** The profile with the user's pick for this request; unchanged where the endpoint takes none. */
export function withEffort(p: ResolvedProfile, effort: ReasoningEffort | undefined): ResolvedProfile {
  if (!effort || !effortControl(p)) return p;
  return { ...p, reasoningEffort: effort };
}
