import type { EventOf, MeterParts } from '../events';

/**
 * The context meter: how full the model's window is for a request, part by part, and whether the
 * next follow-up in the same conversation would still fit.
 */
export type Meter = Omit<EventOf<'prompt.meter'>, 'type' | 'requestId' | 't'>;

/** Below this much room for repository context a follow-up is no use: warn before it is sent. */
export const MIN_CONTEXT_ROOM = 1024;

export function meterTotal(parts: MeterParts): number {
  return parts.instructions + parts.repoInstructions + parts.history + parts.tools + parts.context + parts.prompt;
}

/** The share of the usable window (window − output reserve) the prompt takes, 0..100+. */
export function meterPercent(m: Pick<Meter, 'window' | 'outputReserve' | 'total'>): number {
  const usable = Math.max(1, m.window - m.outputReserve);
  return Math.round((m.total / usable) * 100);
}

export interface FollowupFit {
  /** The whole conversation still goes with the next question. */
  fits: boolean;
  /** What happens to the next follow-up, in words. */
  reason?: string;
  /** Tokens the conversation would take on the next turn. */
  nextHistory: number;
}

/**
 * After an answer: would a follow-up still carry the whole conversation? `turnTokens` is this
 * turn's question and answer, which the next request adds to its history. It does not fit when
 * the history budget (ponder.chat.historyTokens) would force trimming, or when the window would
 * leave less than MIN_CONTEXT_ROOM tokens for context.
 */
export function followupFit(m: Meter, turnTokens: number): FollowupFit {
  const nextHistory = m.historyAll + turnTokens;
  const fixed = m.parts.instructions + m.parts.repoInstructions + m.parts.tools + m.parts.prompt;
  const room = m.window - m.outputReserve - fixed - Math.min(nextHistory, m.historyBudget || nextHistory);
  if (m.historyBudget > 0 && nextHistory > m.historyBudget) {
    return { fits: false, nextHistory, reason: `this conversation (${nextHistory} tokens) is over the history budget (${m.historyBudget}, ponder.chat.historyTokens): the next follow-up would drop or shorten earlier turns` };
  }
  if (room < MIN_CONTEXT_ROOM) {
    return { fits: false, nextHistory, reason: `the next follow-up would leave only ${Math.max(0, room)} tokens of the ${m.window}-token window for repository context` };
  }
  return { fits: true, nextHistory };
}
