import type { HistoryTurn } from './types';

/** Tokens the summary of earlier turns may take. */
export const SUMMARY_TOKENS = 300;

const clip = (text: string, max: number) => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
};

/**
 * "Summarize Earlier Turns": the first `upTo` turns become one short summary (the user's
 * questions, newest first, within SUMMARY_TOKENS; the same form as the automatic summary when
 * history runs over its budget), and the turns after it stay whole.
 */
export function compactHistory(turns: readonly HistoryTurn[], upTo: number, count: (t: string) => number): HistoryTurn[] {
  const n = Math.min(Math.max(0, upTo), turns.length);
  if (n === 0) return [...turns];
  const head = `(Summary of ${n} earlier turn${n === 1 ? '' : 's'}, shortened at the user's request. The user had asked:`;
  const lines: string[] = [];
  for (const q of turns.slice(0, n).filter((t) => t.role === 'user').reverse()) {
    const line = `- ${clip(q.content, 120)}`;
    if (count([head, ...lines, line].join('\n') + ')') > SUMMARY_TOKENS) break;
    lines.push(line);
  }
  return [
    { role: 'user', content: [head, ...lines].join('\n') + ')' },
    { role: 'assistant', content: '(Noted.)' },
    ...turns.slice(n),
  ];
}
