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

/** One line for a profile's health; non-vLLM profiles are never polled, and say so. */
export function healthLine(p: ResolvedProfile, h: HealthState | undefined, configured: boolean): string {
  if (p.provider !== 'vllm') return `${p.provider}: health not polled (only self-hosted vLLM servers are)`;
  if (!configured) return 'not in "ponder.endpoints": never polled';
  if (!h || h.state === 'unknown') return 'health not checked yet (checked while the Ponder sidebar is visible)';
  return `${h.state}: ${h.detail}`;
}
