import { meterPercent, type Meter } from './meter';

/** The context meter in words: the chat footer and `ponder ask` say it the same way. */

const int = (n: number) => Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "Window: 12,345 of 253,952 tokens (5%): context 8,000 · instructions files 1,200 · … · 8,192 kept for the answer". */
export function meterLine(m: Pick<Meter, 'window' | 'outputReserve' | 'total' | 'parts'>): string {
  const p = m.parts;
  const usable = Math.max(0, m.window - m.outputReserve);
  const parts = [
    `context ${int(p.context)}`,
    p.repoInstructions ? `instruction files ${int(p.repoInstructions)}` : undefined,
    `instructions ${int(p.instructions)}`,
    p.history ? `history ${int(p.history)}` : undefined,
    p.tools ? `tools ${int(p.tools)}` : undefined,
    `question ${int(p.prompt)}`,
  ].filter(Boolean);
  return `Window: ${int(m.total)} of ${int(usable)} tokens (${meterPercent(m)}%): ${parts.join(' · ')}; ${int(m.outputReserve)} kept for the answer`;
}
