import { z } from 'zod';
import { RoutingRuleSchema, describeZodError, type RoutingRule, type SettingProblem } from '../config/settings';

/**
 * What routing needs to know of a profile. Kept structural so routing works on settings-level
 * profiles, H2's resolved profiles, or anything else with an id: the chosen object is handed
 * back unchanged.
 */
export interface RoutableProfile {
  readonly id: string;
  readonly label?: string;
  readonly provider?: string;
  /** Context window in tokens, when known; prompt-size rules prefer the larger one. */
  readonly contextWindow?: number;
}

export type CommandRule = Extract<RoutingRule, { when: unknown }>;
export type FallbackRule = Extract<RoutingRule, { fallback: unknown }>;

export function isFallbackRule(rule: RoutingRule): rule is FallbackRule {
  return 'fallback' in rule;
}

/** The name shown in traces: the rule's own name, else its position and what it matches. */
export function ruleName(rule: RoutingRule, index: number): string {
  if (rule.name) return rule.name;
  if (isFallbackRule(rule)) return `routing[${index}] fallback ${rule.fallback.join(' → ')}`;
  const parts: string[] = [];
  const commands = commandsOf(rule);
  if (commands.length) parts.push(`command ${commands.join('|')}`);
  if (rule.when.promptTokensOver !== undefined) parts.push(`prompt > ${rule.when.promptTokensOver} tokens`);
  return `routing[${index}] ${parts.join(' and ') || 'always'} → ${rule.endpoint}`;
}

/** Commands are compared without the chat slash and case: `/Explain` and `explain` are one. */
export function normalizeCommand(command: string): string {
  return command.trim().replace(/^\//, '').toLowerCase();
}

export function commandsOf(rule: CommandRule): string[] {
  const c = rule.when.command;
  return (c === undefined ? [] : Array.isArray(c) ? c : [c]).map(normalizeCommand);
}

/** Profile ids a rule names, so an unknown one can be reported by name. */
function idsNamedBy(rule: RoutingRule): string[] {
  return isFallbackRule(rule) ? rule.fallback : [rule.endpoint];
}

/**
 * Validates raw `ponder.routing` entries one by one (a bad rule does not take the good ones down)
 * and checks every profile id they name against the configured profiles. Problems name the rule
 * and the unknown id, and say which ids exist. A rule routing to an unknown profile is dropped; a
 * fallback list loses only its unknown ids. Every returned rule carries its display name, so the
 * name in traces stays `routing[i]` of the user's own list even when earlier rules were dropped.
 */
export function validateRoutingRules(raw: unknown, profileIds: readonly string[]): { rules: RoutingRule[]; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const rules: RoutingRule[] = [];
  const list = z.array(z.unknown()).safeParse(raw ?? []);
  if (!list.success) {
    return { rules, problems: [{ key: 'ponder.routing', message: `Setting "ponder.routing" must be a list of rules (${describeZodError(list.error)}); no routing rule applies.` }] };
  }
  const known = new Set(profileIds);
  const knownText = profileIds.length ? profileIds.map((id) => `"${id}"`).join(', ') : 'none configured';
  list.data.forEach((entry, i) => {
    const where = `ponder.routing[${i}]`;
    const parsed = RoutingRuleSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push({ key: where, message: `Routing rule ${where} is invalid (${describeZodError(parsed.error)}); write {"when": {"command": "explain"}, "endpoint": "<profile id>"} or {"fallback": ["<id>", "<id>"]}. It is ignored.` });
      return;
    }
    const rule = parsed.data;
    const name = ruleName(rule, i);
    const unknown = idsNamedBy(rule).filter((id) => !known.has(id));
    const names = unknown.map((id) => `"${id}"`).join(', ');
    if (isFallbackRule(rule) && unknown.length && unknown.length < rule.fallback.length) {
      // A fallback list stays useful without the unknown ids: keep the known ones, in order.
      problems.push({ key: where, message: `Routing rule "${name}" names unknown endpoint profile ${names} (profiles in "ponder.endpoints": ${knownText}); ${unknown.length > 1 ? 'they are' : 'it is'} left out of the fallback order.` });
      rules.push({ ...rule, name, fallback: rule.fallback.filter((id) => known.has(id)) });
      return;
    }
    if (unknown.length) {
      problems.push({ key: where, message: `Routing rule "${name}" names unknown endpoint profile ${names} (profiles in "ponder.endpoints": ${knownText}); the rule is ignored.` });
      return;
    }
    rules.push({ ...rule, name });
  });
  return { rules, problems };
}
