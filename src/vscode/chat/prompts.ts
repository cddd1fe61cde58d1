import { formatUsd } from '../../core/format/money';

export { formatUsd };

/**
 * What each chat command and palette command asks the model, and how the answer's footer reads.
 * Pure (no `vscode` import) so it is unit-tested in plain Node.
 */

export const CHAT_COMMANDS = ['explain', 'fix', 'review', 'tests', 'refactor'] as const;
export type ChatCommand = (typeof CHAT_COMMANDS)[number];

export function isChatCommand(value: string | undefined): value is ChatCommand {
  return !!value && (CHAT_COMMANDS as readonly string[]).includes(value);
}

/** The task a slash command adds to Ponder's instructions (the developer message). */
const INSTRUCTIONS: Record<ChatCommand, string> = {
  explain: 'Explain what the selected code does, how it fits in the repository, and anything surprising about it.',
  fix: 'Find the cause of the problems in the selected code (the diagnostics are listed) and fix them. Propose the change with the propose_edit tool when tools are available; otherwise show the corrected code.',
  review: 'Review the given changes like a careful senior engineer: bugs, risky behaviour, missing tests, unclear names. Quote the lines you mean.',
  tests: 'Write unit tests for the selected code, in the test framework and style this repository already uses, where the repository keeps its tests.',
  refactor: 'Refactor the selected code to be clearer without changing its behaviour. Explain each change briefly. Propose the change with the propose_edit tool when tools are available.',
};

/** What the user asks when they typed nothing after the slash command. */
const DEFAULT_PROMPTS: Record<ChatCommand, string> = {
  explain: 'Explain the selected code.',
  fix: 'Fix the problems in the selected code.',
  review: 'Review these changes.',
  tests: 'Write tests for the selected code.',
  refactor: 'Refactor the selected code.',
};

export function commandInstructions(command: ChatCommand | undefined): string | undefined {
  return command ? INSTRUCTIONS[command] : undefined;
}

/** The user's text, or the command's default question when they typed none. */
export function userPrompt(command: ChatCommand | undefined, typed: string): string {
  const text = typed.trim();
  if (text) return text;
  return command ? DEFAULT_PROMPTS[command] : 'Give an overview of this repository.';
}

/** Palette command id -> chat slash command ('ask' has none: it is a free question). */
export const PALETTE_TO_CHAT: Record<string, ChatCommand | undefined> = {
  'ponder.explainSelection': 'explain',
  'ponder.fixSelection': 'fix',
  'ponder.writeTests': 'tests',
  'ponder.refactorSelection': 'refactor',
  'ponder.reviewChanges': 'review',
  'ponder.askRepository': undefined,
};

/** The query typed into the Chat view for a palette command: `@ponder /explain <text>`. */
export function chatQuery(command: ChatCommand | undefined, text: string): string {
  const body = text.trim();
  return ['@ponder', command ? `/${command}` : '', body].filter(Boolean).join(' ');
}

/** "Thinking… 12 s" while the model reasons; whole seconds so the line does not flicker. */
export function thinkingLabel(startedAt: number, now: number): string {
  const s = Math.max(0, Math.floor((now - startedAt) / 1000));
  return s < 60 ? `Thinking… ${s} s` : `Thinking… ${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * When "Thinking… N s" is said again while the model reasons (seconds since reasoning began).
 * Each is a new progress line in the Chat view (stable API cannot update one in place), so they
 * thin out: 5, 10, 20, 30, 45, 60 s, then every minute.
 */
const THINKING_TICKS_S = [5, 10, 20, 30, 45, 60];

export function nextThinkingTick(elapsedS: number): number {
  return THINKING_TICKS_S.find((t) => t > elapsedS) ?? (Math.floor(elapsedS / 60) + 1) * 60;
}

export interface FooterFacts {
  endpoint: string;
  model: string;
  usage?: { prompt: number; cached: number; completion: number; reasoning: number };
  cost?: { amount: number | null; source: string };
  ms?: number;
}

/** 1234 -> "1,234"; kept independent of the host's locale so tests and screenshots read the same. */
export function formatInt(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The answer's footer: endpoint · model · tokens · cost · time, as one markdown line. */
export function formatFooter(f: FooterFacts): string {
  const parts = [`**${f.endpoint}**`, `\`${f.model}\``];
  if (f.usage) {
    const u = f.usage;
    const cached = u.cached ? ` (${formatInt(u.cached)} cached)` : '';
    const reasoning = u.reasoning ? ` (${formatInt(u.reasoning)} reasoning)` : '';
    parts.push(`${formatInt(u.prompt)} in${cached} · ${formatInt(u.completion)} out${reasoning}`);
  }
  if (f.cost) {
    if (f.cost.amount === null) parts.push('cost unknown (no price for this endpoint)');
    else parts.push(`${formatUsd(f.cost.amount)}${f.cost.source === 'gpu-hour' ? ' (GPU time)' : f.cost.source === 'provider' ? ' (reported)' : ''}`);
  }
  if (f.ms !== undefined) parts.push(`${(f.ms / 1000).toFixed(1)} s`);
  return parts.join(' · ');
}

/**
 * A short summary of the reasoning for the answer (the full text is in the sidebar): the first
 * sentences up to `maxChars`, quoted. Chat markdown renders no `<details>`, so this stays short.
 */
export function reasoningSummary(reasoning: string, maxChars = 280): string | undefined {
  const text = reasoning.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const sentenceEnd = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('? '), cut.lastIndexOf('! '));
  return (sentenceEnd > maxChars / 3 ? cut.slice(0, sentenceEnd + 1) : cut.replace(/\s+\S*$/, '')) + ' …';
}

/**
 * The gist of the reasoning so far, for the progress line while the model thinks: the latest
 * complete sentence (or line), clipped; before the first sentence ends, nothing.
 */
export function latestSentence(reasoning: string, maxChars = 120): string | undefined {
  const text = reasoning.replace(/[ \t]+/g, ' ');
  const parts = text.split(/(?<=[.!?])\s+|\n+/).map((p) => p.trim()).filter(Boolean);
  // The last part is still being written unless the text ends with a sentence end or a line break.
  const done = /[.!?]\s*$|\n\s*$/.test(text) ? parts : parts.slice(0, -1);
  const last = done.at(-1)?.replace(/^[-*#>\s]+/, '');
  if (!last) return undefined;
  return last.length > maxChars ? `${last.slice(0, maxChars - 1).replace(/\s+\S*$/, '')}…` : last;
}

/** "0.4 s", "3.2 s", "12 s", "2 min 5 s": as the sidebar says durations. */
export function formatSeconds(ms: number): string {
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Quotes text as a markdown blockquote, line by line. */
export function blockquote(text: string): string {
  return text.split('\n').map((l) => `> ${l}`).join('\n');
}
