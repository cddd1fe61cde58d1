import { withEffort } from '../model/effort';
import type { ReasoningEffort, ResolvedProfile } from '../model/types';
import { chooseEndpoint, fallbackCauseOf, nextFallback, type Route } from '../routing/choose';
import { describeSwitch } from '../routing/describe';
import type { EndpointChoice } from './types';

/**
 * Every endpoint decision of one request, in one place: the first choice (before packing, from
 * the fixed prompt's size), then `decide` at each point where the answer may change, which says
 * what to do next. The router keeps the current profile; the pipeline applies a switch (and the
 * one repack) and turns.ts sends the next turn to it.
 *
 *  - `packed`: the packed prompt's size picks again when a prompt-size rule exists;
 *  - `over-budget`: the budget check refuses the current profile: try the route's next fallback;
 *  - `error`: a turn failed before any output with a rate limit, a down server or a budget stop.
 *
 * A fixed profile (`{ profile }`) or an explicit override never switches.
 */
export type RoutingEvent =
  | { on: 'packed'; packedTokens: number }
  | { on: 'over-budget'; packedTokens: number }
  | { on: 'error'; kind: string; status?: number };

export type RouteDecision =
  | { action: 'keep' }
  | {
    action: 'switch';
    profile: ResolvedProfile;
    /** What to tell the user (a `notice` event), if anything. */
    notice?: { level: 'info' | 'warning'; message: string };
    /**
     * The packed context is larger than the new profile's context budget: pack again. Never set
     * for `error`: the turns resend the conversation as it is (tool results included).
     */
    repack: boolean;
  };

export class RequestRouter {
  /** The profile that answers now. */
  profile: ResolvedProfile;
  /** The routing rules' choice (undefined for a fixed profile): its rule and reason go into request.start. */
  route?: Route<ResolvedProfile>;
  /** A prompt-size rule may pick another endpoint once the context is packed: request.start waits for it. */
  readonly waitsForPromptSize: boolean;
  // Profiles already given up on, per kind of fallback (as before this was one object: kept apart).
  private readonly triedOverBudget = new Set<string>();
  private readonly triedOnError = new Set<string>();

  /**
   * The first choice, for a prompt of `fixedTokens` before any context. Throws RoutingError for
   * a choice that cannot be honoured (no profiles, an unknown override).
   * `contextBudgetFor(p)`: tokens the context may use on profile p (decides whether a switch repacks).
   * `effort`: the user's reasoning effort for this request, carried to the profile a failed turn
   * falls back to where that endpoint takes one (runRequest gives it to the profile the turns start on).
   */
  constructor(
    private readonly choice: EndpointChoice,
    private readonly command: string | undefined,
    private readonly fixedTokens: number,
    private readonly contextBudgetFor: (p: ResolvedProfile) => number,
    private readonly effort?: ReasoningEffort,
  ) {
    if ('profile' in choice) {
      this.profile = choice.profile;
      this.waitsForPromptSize = false;
    } else {
      this.route = chooseEndpoint({ ...choice, command, promptTokens: fixedTokens });
      this.profile = this.route.profile;
      this.waitsForPromptSize = !choice.override && choice.rules.some((r) => 'when' in r && r.when.promptTokensOver !== undefined);
    }
  }

  /** `request.start.route`: the rule that chose the profile and why. */
  startRoute(): { rule: string; reason: string } | undefined {
    if (this.route) return { rule: this.route.rule, reason: this.route.reason };
    return 'profile' in this.choice ? this.choice.route : undefined;
  }

  /** What to do next after `event`; a switch is already in effect (`profile`) when this returns. */
  decide(event: RoutingEvent): RouteDecision {
    const current = this.profile.id;
    switch (event.on) {
      case 'packed': {
        if (!this.waitsForPromptSize || !this.route || 'profile' in this.choice || event.packedTokens <= 0) return { action: 'keep' };
        const again = chooseEndpoint({ ...this.choice, command: this.command, promptTokens: this.fixedTokens + event.packedTokens });
        if (again.profile.id === current) return { action: 'keep' };
        this.route = again;
        this.profile = again.profile;
        return { action: 'switch', profile: this.profile, repack: event.packedTokens > this.contextBudgetFor(this.profile) };
      }
      case 'over-budget': {
        const step = this.route ? nextFallback(this.route, current, 'over-budget', { tried: this.triedOverBudget }) : undefined;
        if (!step) return { action: 'keep' };
        this.triedOverBudget.add(current);
        this.profile = step.profile;
        return { action: 'switch', profile: this.profile, notice: { level: 'info', message: describeSwitch(step) }, repack: event.packedTokens > this.contextBudgetFor(this.profile) };
      }
      case 'error': {
        const cause = fallbackCauseOf(event.kind, event.status);
        this.triedOnError.add(current);
        const step = cause && this.route ? nextFallback(this.route, current, cause, { tried: this.triedOnError }) : undefined;
        if (!step) return { action: 'keep' };
        this.profile = withEffort(step.profile, this.effort);
        this.triedOnError.add(step.profile.id);
        return { action: 'switch', profile: this.profile, notice: { level: 'warning', message: describeSwitch(step) }, repack: false };
      }
    }
  }
}
