import type { PonderServices } from './services';
import { parseEndpointProfiles, type SettingProblem } from '../core/config/settings';
import { defaultProfile, profileProblems, resolveProfile } from '../core/model/profiles';
import type { ResolvedProfile } from '../core/model/types';

/**
 * Endpoint profiles from `ponder.endpoints`, presets applied. Bad profiles are reported once
 * (naming the profile and the field) and left out; a key pasted into settings is refused with
 * a message saying where it belongs. Workspace settings may add profiles (VS Code ignores them in
 * Restricted Mode: `restrictedConfigurations`) but keys are never read from settings at all.
 * With no profile, the local vLLM default.
 */
export function loadProfiles(services: Pick<PonderServices, 'settings'>): { profiles: ResolvedProfile[]; problems: SettingProblem[] } {
  const raw = services.settings.get('ponder.endpoints');
  const parsed = parseEndpointProfiles(raw);
  const problems = [...parsed.problems];
  const profiles: ResolvedProfile[] = [];
  parsed.profiles.forEach((input) => {
    const p = resolveProfile(input);
    const issues = profileProblems(p);
    if (issues.length) problems.push({ key: 'ponder.endpoints', message: issues.join(' ') });
    profiles.push(p);
  });
  services.settings.report(problems);
  return { profiles: profiles.length ? profiles : [defaultProfile()], problems };
}
