/**
 * Routing: which endpoint profile answers a request, and where to go when it cannot.
 * The runner calls `chooseEndpoint` once per request (its `rule`/`reason` go into the
 * `request.start` event's `route`), then `nextFallback` when the chosen profile fails with a
 * rate limit, refused connection or budget stop before any output was shown.
 */
export { validateRoutingRules, ruleName, normalizeCommand, type RoutableProfile } from './rules';
export {
  chooseEndpoint, nextFallback, fallbackCauseOf, describeCause, RoutingError,
  type ChooseOptions, type Route, type RouteHealth, type HealthLevel, type FallbackCause, type FallbackStep,
} from './choose';
export { describeRoute, describeSwitch } from './describe';
export { routingConfigFromSettings, type RoutingConfig } from './config';
