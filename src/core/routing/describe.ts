import type { RoutableProfile } from './rules';
import type { FallbackStep, Route } from './choose';

/**
 * One line saying which profile answers and why, for `ponder ask` (stderr) and the answer's
 * footer: `endpoint team-vllm (Team vLLM, qwen3) · rule "cheap explains": command "explain" matched · fallbacks: mai`.
 */
export function describeRoute(route: Route<RoutableProfile & { model?: string }>): string {
  const p = route.profile;
  const extra = [p.label && p.label !== p.id ? p.label : undefined, p.model].filter(Boolean).join(', ');
  const parts = [`endpoint ${p.id}${extra ? ` (${extra})` : ''}`, ruleText(route)];
  if (route.fallbacks.length) parts.push(`fallbacks: ${route.fallbacks.map((f) => f.id).join(', ')}`);
  return parts.join(' · ');
}

function ruleText(route: Route<RoutableProfile>): string {
  return `${route.rule === 'override' || route.rule === 'default' || route.rule === 'window' ? route.rule : `rule "${route.rule}"`}: ${route.reason}`;
}

/** One line for a switch during a request (a `notice` event's message, the CLI's stderr). */
export function describeSwitch(step: FallbackStep<RoutableProfile>): string {
  return `fallback: ${step.reason}`;
}
