import type { HealthState } from '../../core/health';
import type { ResolvedProfile } from '../../core/model/types';

/** How health and windows read in the picker, the status bar and the sidebar header. */

export function healthIcon(h: HealthState | undefined): string {
  switch (h?.state) {
    case 'up': return '$(pass-filled)';
    case 'degraded': return '$(warning)';
    case 'down': return '$(error)';
    default: return '$(circle-large-outline)';
  }
}

/** "128K context", "32,768 context". */
export function windowText(p: ResolvedProfile): string {
  const w = p.contextWindow;
  const n = w % 1024 === 0 ? `${w / 1024}K` : w >= 10_000 ? `${Math.round(w / 1000)}K` : w.toLocaleString('en-US');
  const from = p.contextWindowSource === 'server' ? ' (from server)' : p.contextWindowSource === 'default' ? ' (assumed)' : '';
  return `${n} context${from}`;
}

/** Whether there is a health state worth a dot: polled (configured vLLM) or learned from a request. */
export function hasHealth(p: ResolvedProfile, h: HealthState | undefined, configured: boolean): boolean {
  return (p.provider === 'vllm' && configured) || (!!h && h.state !== 'unknown');
}

/** One line for a profile's health: what was last learned, from a request or a check, or why nothing is known. */
export function healthLine(p: ResolvedProfile, h: HealthState | undefined, configured: boolean): string {
  // Some details already start with the state ("up: lists its models ..."): say it once.
  if (h && h.state !== 'unknown') return h.detail.startsWith(h.state) ? h.detail : `${h.state}: ${h.detail}`;
  if (p.provider !== 'vllm') return `${p.provider}: no request yet (only self-hosted vLLM servers are polled)`;
  if (!configured) return 'not in "ponder.endpoints": not polled; no request yet';
  return 'health not checked yet (checked while the Ponder sidebar is visible)';
}
