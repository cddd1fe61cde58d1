import type { RequestView } from '../core/protocol/requestView';
import { tokens } from './format';

const PARTS = [
  ['context', 'context'], ['repoInstructions', 'instruction files'], ['instructions', 'instructions'],
  ['history', 'history'], ['tools', 'tools'], ['prompt', 'question'],
] as const;

/** The context meter: how full the model's window is for this request, part by part, and the output reserve. */
export function MeterPanel({ view }: { view: RequestView }) {
  const m = view.meter;
  if (!m) return null;
  const scale = Math.max(m.window, m.total + m.outputReserve, 1);
  const pct = (n: number) => `${Math.min(100, (n / scale) * 100).toFixed(2)}%`;
  const usable = Math.max(1, m.window - m.outputReserve);
  const share = Math.round((m.total / usable) * 100);
  const level = share >= 100 ? ' over' : share >= 80 ? ' warn' : '';
  return (
    <section class="section window-meter" aria-label="Context window">
      <h3>Window <span class="muted">({tokens(m.total)} of {tokens(usable)} tokens, {share}%{view.effort ? ` · effort ${view.effort}` : ''})</span></h3>
      <div class={`window-bar${level}`} role="meter" aria-valuemin={0} aria-valuemax={m.window} aria-valuenow={m.total}
        aria-label={`Prompt ${tokens(m.total)} tokens of a ${tokens(m.window)}-token window, ${tokens(m.outputReserve)} kept for the answer`}>
        {PARTS.map(([key]) => (m.parts[key] ? <div key={key} class={`window-part part-${key}`} style={{ width: pct(m.parts[key]) }} /> : null))}
        <div class="window-free" />
        <div class="window-reserve" style={{ width: pct(m.outputReserve) }} />
      </div>
      <ul class="window-legend muted">
        {PARTS.map(([key, label]) => (m.parts[key] ? <li key={key}><span class={`swatch part-${key}`} />{label} {tokens(m.parts[key])}</li> : null))}
        <li><span class="swatch window-reserve" />answer reserve {tokens(m.outputReserve)}</li>
        <li>window {tokens(m.window)}</li>
      </ul>
    </section>
  );
}
