import { formatUsd } from '../../core/cost/pricing';
import { fmtTokens } from '../../core/cost/breakEven';
import type { ReportSnapshot } from '../../core/cost/reportProtocol';
import { s } from './dom';

const H = 240;
const PAD = { left: 64, right: 56, top: 12, bottom: 28 };

/** A round axis maximum that splits into 4 round ticks: 1, 2, 4 or 8 times a power of ten, at or above `n`. */
function niceMax(n: number): number {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 4, 8, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/** Axis labels: as many decimals as the scale needs, no more. */
function axisUsd(v: number, max: number): string {
  return `$${v.toFixed(max >= 5 ? 0 : max >= 0.05 ? 2 : max >= 0.005 ? 3 : 4)}`;
}

/**
 * Daily spend as bars (left axis, USD) and tokens as a line (right axis). Colors come from the
 * theme through CSS classes (charts.blue / charts.purple), so light, dark and high-contrast all work.
 */
export function dailyChart(days: ReportSnapshot['days'], monthKey: string, width: number): SVGElement {
  // Drawn at the page's real width (and redrawn on resize), so axis text keeps the theme's size.
  const W = Math.max(320, Math.round(width));
  const maxUsd = niceMax(Math.max(0, ...days.map((d) => d.amount)));
  const maxTok = niceMax(Math.max(0, ...days.map((d) => d.tokens)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / Math.max(1, days.length);
  const y = (v: number, max: number) => PAD.top + innerH - (v / max) * innerH;
  const total = days.reduce((a, d) => a + d.amount, 0);
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'chart', role: 'img',
    'aria-label': `Daily spend and tokens, ${monthKey}: ${formatUsd(total)} over ${days.length} days`,
  });
  for (let i = 0; i <= 4; i++) {
    const yy = PAD.top + (innerH * i) / 4;
    svg.append(
      s('line', { x1: PAD.left, x2: W - PAD.right, y1: yy, y2: yy, class: 'grid' }),
      s('text', { x: PAD.left - 6, y: yy + 4, class: 'axis usd', 'text-anchor': 'end' }, axisUsd(maxUsd * (1 - i / 4), maxUsd)),
      s('text', { x: W - PAD.right + 6, y: yy + 4, class: 'axis tok', 'text-anchor': 'start' }, fmtTokens(Math.round(maxTok * (1 - i / 4)))),
    );
  }
  const points: string[] = [];
  days.forEach((d, i) => {
    const x = PAD.left + i * step;
    const top = y(d.amount, maxUsd);
    const bar = s('rect', { x: x + step * 0.15, y: top, width: Math.max(1, step * 0.7), height: PAD.top + innerH - top, class: 'bar' },
      s('title', {}, `${d.day}: ${formatUsd(d.amount)}, ${d.tokens.toLocaleString('en-US')} tokens, ${d.requests} request${d.requests === 1 ? '' : 's'}`));
    svg.append(bar);
    points.push(`${(x + step / 2).toFixed(1)},${y(d.tokens, maxTok).toFixed(1)}`);
    const dayNum = Number(d.day.slice(8));
    if (days.length <= 10 || dayNum === 1 || dayNum % 5 === 0 || i === days.length - 1) {
      svg.append(s('text', { x: x + step / 2, y: H - 8, class: 'axis', 'text-anchor': 'middle' }, String(dayNum)));
    }
  });
  if (points.length) svg.append(s('polyline', { points: points.join(' '), class: 'tokens-line' }));
  return svg;
}
