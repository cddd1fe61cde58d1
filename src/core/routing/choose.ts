import type { RoutingRule } from '../config/settings';
import { commandsOf, isFallbackRule, normalizeCommand, ruleName, type RoutableProfile } from './rules';

/** What routing needs of a server's health (src/core/health produces richer states that fit this). */
export type HealthLevel = 'up' | 'down' | 'degraded' | 'unknown';
export interface RouteHealth {
  readonly state: HealthLevel;
  /** KV cache stayed over the threshold or the queue kept growing: requests will wait or be preempted. */
  readonly saturated?: boolean;
  readonly detail?: string;
}

/** Why a request moves to the next profile. `saturated` is decided before sending, the rest after a failure. */
export type FallbackCause = 'rate-limit' | 'down' | 'over-budget' | 'saturated';

export interface ChooseOptions<P extends RoutableProfile> {
  /** Validated rules (validateRoutingRules), in the user's order. */
  readonly rules: readonly RoutingRule[];
  readonly profiles: readonly P[];
  /** `ponder.defaultEndpoint`; empty or undefined means the first profile. */
  readonly defaultId?: string;
  /** An explicit choice (Select Endpoint, the Chat view's model picker, `--endpoint`): wins over rules. */
  readonly override?: string;
  /** Where the override came from, for the reason text ("Select Endpoint", "--endpoint"). */
  readonly overrideSource?: string;
  /** explain, fix, review, tests, refactor, ask, chat; a chat slash command may keep its slash. */
  readonly command?: string;
  /** Estimated tokens of the packed prompt; prompt-size rules need it. */
  readonly promptTokens?: number;
  readonly health?: ReadonlyMap<string, RouteHealth>;
  readonly budgetExceeded?: ReadonlySet<string>;
}

export interface Route<P extends RoutableProfile> {
  readonly profile: P;
  /** The rule that chose it: its name, `override`, `default` or `window`. Goes into `request.start.route.rule`. */
  readonly rule: string;
  /** Why, in words, without repeating the rule's name; `request.start.route.reason`, printed by `ponder ask` after the rule. */
  readonly reason: string;
  /** Profiles to try next, in order, when this one is rate-limited, down or over budget before output started. */
  readonly fallbacks: P[];
  /** Fallback profile id -> the name of the fallback rule that lists it. */
  readonly fallbackRules: Readonly<Record<string, string>>;
  /** Set when the profile the rules chose was passed over before sending (down, saturated, over budget). */
  readonly switchedFrom?: { readonly id: string; readonly cause: FallbackCause };
}

/** A routing input that cannot be honoured (unknown override, no profiles): a usage/config error. */
export class RoutingError extends Error {
  override readonly name = 'RoutingError';
}

const CAUSE_TEXT: Record<FallbackCause, string> = {
  'rate-limit': 'was rate-limited (429)',
  down: 'is down (no answer from the server)',
  'over-budget': 'is over its budget',
  saturated: 'is saturated (KV cache stays above 85% or its queue keeps growing)',
};

export function describeCause(cause: FallbackCause): string {
  return CAUSE_TEXT[cause];
}

/**
 * Picks the endpoint profile for one request. Order: an explicit override; else the first
 * matching `when` rule in the user's order (a rule whose profile cannot hold the prompt is passed
 * over); else `ponder.defaultEndpoint` (or the first profile), moved to the profile with the
 * largest known window when the prompt does not fit. Then, unless the choice was explicit, a
 * primary known to be down, saturated or over budget is replaced by the first usable profile of
 * the fallback rules; the rest of the fallback order is returned for the runner's `nextFallback`.
 */
export function chooseEndpoint<P extends RoutableProfile>(opts: ChooseOptions<P>): Route<P> {
  const { profiles } = opts;
  if (!profiles.length) throw new RoutingError('No endpoint profile is configured: add one to "ponder.endpoints" (or pass --base-url and --model).');
  const byId = new Map(profiles.map((p) => [p.id, p] as const));
  const known = () => profiles.map((p) => `"${p.id}"`).join(', ');

  if (opts.override) {
    const chosen = byId.get(opts.override);
    if (!chosen) throw new RoutingError(`Endpoint "${opts.override}"${opts.overrideSource ? ` (from ${opts.overrideSource})` : ''} is not a configured profile; known profiles: ${known()}.`);
    // An explicit choice is never switched away from: silently moving to a paid model would surprise.
    return { profile: chosen, rule: 'override', reason: `chosen explicitly${opts.overrideSource ? ` with ${opts.overrideSource}` : ''}`, fallbacks: [], fallbackRules: {} };
  }

  const primary = pickPrimary(opts, byId);
  const { order, via } = fallbackOrder(opts.rules, byId);
  const rest = order.filter((p) => p.id !== primary.profile.id);
  const problem = problemOf(primary.profile.id, opts);
  if (problem) {
    const usable = rest.find((p) => !problemOf(p.id, opts));
    if (usable) {
      // A saturated server still answers, slowly: it stays the last resort if the others fail.
      const after = [...rest.filter((p) => p.id !== usable.id), ...(problem === 'saturated' ? [primary.profile] : [])];
      return {
        profile: usable,
        rule: via[usable.id],
        reason: `"${primary.rule}" chose ${primary.profile.id} (${primary.reason}), but ${primary.profile.id} ${CAUSE_TEXT[problem]}; switched to ${usable.id}`,
        fallbacks: after,
        fallbackRules: { ...pickKeys(via, after.filter((p) => p !== primary.profile)), ...(problem === 'saturated' ? { [primary.profile.id]: primary.rule } : {}) },
        switchedFrom: { id: primary.profile.id, cause: problem },
      };
    }
  }
  return { profile: primary.profile, rule: primary.rule, reason: primary.reason, fallbacks: rest, fallbackRules: pickKeys(via, rest) };
}

function pickPrimary<P extends RoutableProfile>(opts: ChooseOptions<P>, byId: Map<string, P>): { profile: P; rule: string; reason: string } {
  const command = opts.command ? normalizeCommand(opts.command) : undefined;
  const tokens = opts.promptTokens;
  const passedOver: string[] = [];
  for (const [i, rule] of opts.rules.entries()) {
    if (isFallbackRule(rule)) continue;
    const name = ruleName(rule, i);
    const commands = commandsOf(rule);
    const over = rule.when.promptTokensOver;
    if (commands.length && (!command || !commands.includes(command))) continue;
    if (over !== undefined && (tokens === undefined || tokens <= over)) continue;
    const profile = byId.get(rule.endpoint);
    if (!profile) continue; // validateRoutingRules has reported it by name
    if (tokens !== undefined && profile.contextWindow !== undefined && tokens > profile.contextWindow) {
      passedOver.push(`rule "${name}" was passed over: ${profile.id}'s window of ${profile.contextWindow} tokens cannot hold ${tokens}`);
      continue;
    }
    const why: string[] = [];
    if (commands.length) why.push(`command "${command}" matched`);
    if (over !== undefined) why.push(`prompt of ${tokens} tokens is over ${over}`);
    if (!why.length) why.push('the rule has no condition');
    return { profile, rule: name, reason: [why.join(' and '), ...passedOver].join('; ') };
  }

  let base: P | undefined;
  let reason: string;
  if (opts.defaultId && byId.has(opts.defaultId)) {
    base = byId.get(opts.defaultId);
    reason = `no routing rule matched; "ponder.defaultEndpoint" is ${opts.defaultId}`;
  } else {
    base = opts.profiles[0];
    reason = opts.defaultId
      ? `no routing rule matched; "ponder.defaultEndpoint" names "${opts.defaultId}", which is not a configured profile, so the first profile is used`
      : 'no routing rule matched and "ponder.defaultEndpoint" is empty: the first profile in "ponder.endpoints"';
  }
  const chosen = base as P;
  if (tokens !== undefined && chosen.contextWindow !== undefined && tokens > chosen.contextWindow) {
    // "Over N tokens -> the profile with the larger window", even without a rule saying so.
    const larger = [...opts.profiles].filter((p) => (p.contextWindow ?? 0) >= tokens).sort((a, b) => (b.contextWindow ?? 0) - (a.contextWindow ?? 0))[0];
    if (larger) {
      return { profile: larger, rule: 'window', reason: [`prompt of ${tokens} tokens does not fit ${chosen.id}'s window (${chosen.contextWindow}); ${larger.id} has ${larger.contextWindow}`, ...passedOver].join('; ') };
    }
  }
  return { profile: chosen, rule: 'default', reason: [reason, ...passedOver].join('; ') };
}

/** Every fallback rule's ids, in rule order then list order, without repeats. */
function fallbackOrder<P extends RoutableProfile>(rules: readonly RoutingRule[], byId: Map<string, P>): { order: P[]; via: Record<string, string> } {
  const order: P[] = [];
  const via: Record<string, string> = {};
  for (const [i, rule] of rules.entries()) {
    if (!isFallbackRule(rule)) continue;
    for (const id of rule.fallback) {
      const profile = byId.get(id);
      if (!profile || via[id]) continue;
      via[id] = ruleName(rule, i);
      order.push(profile);
    }
  }
  return { order, via };
}

function pickKeys<P extends RoutableProfile>(via: Record<string, string>, profiles: P[]): Record<string, string> {
  return Object.fromEntries(profiles.map((p) => [p.id, via[p.id]]));
}

/** The reason a profile should not get a new request now, if any. */
function problemOf(id: string, opts: Pick<ChooseOptions<RoutableProfile>, 'health' | 'budgetExceeded'>): FallbackCause | undefined {
  if (opts.budgetExceeded?.has(id)) return 'over-budget';
  const h = opts.health?.get(id);
  if (h?.state === 'down') return 'down';
  if (h?.saturated) return 'saturated';
  return undefined;
}

export interface FallbackStep<P extends RoutableProfile> {
  readonly profile: P;
  /** The fallback rule that lists it. */
  readonly rule: string;
  /** "team-vllm was rate-limited (429); switched to mai (fallback rule ...)": for the `notice`/`retry` event. */
  readonly reason: string;
  readonly cause: FallbackCause;
}

/**
 * The next profile after `current` failed with `cause` before any output was shown. Skips
 * profiles already tried, down or over budget; a saturated one is used only when nothing better
 * is left (a slow answer beats none). Undefined: nothing left, surface the original error.
 */
export function nextFallback<P extends RoutableProfile>(
  route: Route<P>,
  current: string,
  cause: FallbackCause,
  opts: { tried?: Iterable<string>; health?: ReadonlyMap<string, RouteHealth>; budgetExceeded?: ReadonlySet<string> } = {},
): FallbackStep<P> | undefined {
  const tried = new Set(opts.tried ?? []);
  tried.add(current);
  const open = route.fallbacks.filter((p) => !tried.has(p.id));
  const problems = new Map(open.map((p) => [p.id, problemOf(p.id, opts)] as const));
  const next = open.find((p) => !problems.get(p.id)) ?? open.find((p) => problems.get(p.id) === 'saturated');
  if (!next) return undefined;
  const rule = route.fallbackRules[next.id] ?? 'fallback';
  return { profile: next, rule, cause, reason: `${current} ${CAUSE_TEXT[cause]}; switched to ${next.id} (fallback rule "${rule}")` };
}

/**
 * Maps an error event's kind (and HTTP status) to a fallback cause; undefined for errors another
 * profile would not fix (auth, bad request, context length, content filter, cancel).
 */
export function fallbackCauseOf(kind: string, status?: number): FallbackCause | undefined {
  switch (kind) {
    case 'rate-limit': return 'rate-limit';
    case 'connection':
    case 'timeout': return 'down';
    case 'budget':
    case 'balance': return 'over-budget';
    case 'server': return status === undefined || status === 502 || status === 503 || status === 504 ? 'down' : undefined;
    default: return status === 429 ? 'rate-limit' : undefined;
  }
}
