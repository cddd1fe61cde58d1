import { formatDuration } from '../core/format/duration';
import { formatUsd } from '../core/format/money';

/** Display formats shared by the sidebar's components. */
const intFormat = new Intl.NumberFormat('en-US');

export const DASH = '—';

export function tokens(n: number | undefined): string {
  return n === undefined ? DASH : intFormat.format(n);
}

/** Money in the one format of every surface (core/format/money); a dash when unknown. */
export function usd(n: number | null | undefined): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return DASH;
  return formatUsd(n);
}

export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return DASH;
  return formatDuration(ms);
}

// One formatter: toLocaleTimeString builds a new one per call, too slow for every frame.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function clock(t: number): string {
  return timeFormat.format(t);
}

export const COST_SOURCES: Record<string, string> = {
  provider: 'reported by the provider',
  'price-table': 'from the price table',
  'gpu-hour': 'GPU-hour share',
  unpriced: 'no price known',
};

export function rangeLabel(ranges: [number, number][] | undefined): string {
  if (!ranges?.length) return 'whole file';
  return ranges.map(([a, b]) => (a === b ? `L${a}` : `L${a}–${b}`)).join(', ');
}
