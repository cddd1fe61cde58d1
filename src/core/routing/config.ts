import { parseEndpointProfiles, type RoutingRule, type SettingProblem } from '../config/settings';
import { defaultProfile, resolveProfile } from '../model/profiles';
import type { ResolvedProfile } from '../model/types';
import { validateRoutingRules } from './rules';

export interface RoutingConfig {
  /** Profiles from `ponder.endpoints`: the only servers whose health is ever polled. */
  readonly configured: ResolvedProfile[];
  /** What requests can use: the configured ones, or the local vLLM default when there are none. */
  readonly profiles: ResolvedProfile[];
  readonly rules: RoutingRule[];
  /** `ponder.defaultEndpoint` ('' = the first profile). */
  readonly defaultId: string;
  /** Routing problems by name (unknown profile ids, malformed rules); bad profiles are the model part's to report. */
  readonly problems: SettingProblem[];
}

/**
 * Profiles and routing rules from raw settings values (settings.json, VS Code's configuration):
 * the extension and `ponder ask` read them the same way. Rules are validated one by one against
 * the profile ids, so one typo drops one rule, named, not all of them.
 */
export function routingConfigFromSettings(rawEndpoints: unknown, rawRouting: unknown, defaultId: string | undefined): RoutingConfig {
  const { profiles: inputs } = parseEndpointProfiles(Array.isArray(rawEndpoints) ? rawEndpoints : []);
  const configured = inputs.map((p) => resolveProfile(p));
  const profiles = configured.length ? configured : [defaultProfile()];
  const { rules, problems } = validateRoutingRules(rawRouting, profiles.map((p) => p.id));
  const id = defaultId ?? '';
  if (id && !profiles.some((p) => p.id === id)) {
    problems.push({ key: 'ponder.defaultEndpoint', message: `Setting "ponder.defaultEndpoint" names "${id}", which is not a profile in "ponder.endpoints" (${profiles.map((p) => `"${p.id}"`).join(', ')}); the first profile is used.` });
  }
  return { configured, profiles, rules, defaultId: id, problems };
}
