import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { PROVIDERS, type Provider } from '../core/config/profile';
import { parseEndpointProfiles, readSettings, type RoutingRule, type SettingKey, type Settings } from '../core/config/settings';
import { routingConfigFromSettings } from '../core/routing';
import { defaultProfile, resolveProfile } from '../core/model/profiles';
import type { ResolvedProfile } from '../core/model/types';
import type { EndpointChoice } from '../core/run/types';
import { UsageError } from './command';

/**
 * `ponder ask`'s configuration: the settings file (VS Code's settings.json, comments allowed)
 * and the flags that override it. Every problem that stops the command names the flag or the
 * setting at fault and becomes exit code 2.
 */

export interface SettingsFile {
  settings: Settings;
  /** The profiles in "ponder.endpoints" (none: the local vLLM default is used). */
  profiles: ResolvedProfile[];
  /** "ponder.routing" as validated against the profiles: bad rules dropped, each named in `warnings`. */
  rules: RoutingRule[];
  warnings: string[];
  file?: string;
}

/** Reads `file` (explicit: must exist) or `<root>/.vscode/settings.json` (optional). */
export function loadSettingsFile(root: string, explicit: string | undefined): SettingsFile {
  const file = explicit ? path.resolve(explicit) : path.join(root, '.vscode', 'settings.json');
  let raw: Record<string, unknown> = {};
  let found = false;
  try {
    const text = fs.readFileSync(file, 'utf8');
    found = true;
    const errors: ParseError[] = [];
    const parsed = parseJsonc(text, errors, { allowTrailingComma: true });
    if (errors.length) {
      const e = errors[0];
      const line = text.slice(0, e.offset).split('\n').length;
      throw new UsageError(`--settings ${file}: not valid JSON (${printParseErrorCode(e.error)} at line ${line})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`--settings ${file}: must hold one JSON object`);
    raw = parsed as Record<string, unknown>;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (explicit) throw new UsageError(`--settings ${explicit}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const { settings, problems } = readSettings((key: SettingKey) => raw[key]);
  const { problems: profileProblems } = parseEndpointProfiles(settings['ponder.endpoints']);
  // Profiles and rules as the extension reads them: each bad rule dropped and named.
  const routing = routingConfigFromSettings(settings['ponder.endpoints'], settings['ponder.routing'], settings['ponder.defaultEndpoint']);
  const warnings = [...problems, ...profileProblems, ...routing.problems].map((p) => p.message);
  return { settings, profiles: routing.configured, rules: routing.rules, warnings, file: found ? file : undefined };
}

/**
 * The provider a --base-url's host belongs to, when --provider is not given: a Foundry resource
 * (`*.services.ai.azure.com`, `*.openai.azure.com`, `*.cognitiveservices.azure.com`) gets
 * Foundry's route, `api-key` header and dialect; the hosted providers' own hosts theirs.
 */
export function providerOfHost(host: string): Provider {
  if (/\.(services\.ai\.azure\.com|openai\.azure\.com|cognitiveservices\.azure\.com)$/i.test(host)) return 'foundry';
  if (/(^|\.)openrouter\.ai$/i.test(host)) return 'openrouter';
  if (/(^|\.)fireworks\.ai$/i.test(host)) return 'fireworks';
  if (/(^|\.)baseten\.co$/i.test(host)) return 'baseten';
  return 'openai-compatible';
}

export interface EndpointFlags { endpoint?: string; 'base-url'?: string; model?: string; provider?: string; 'api-key-env'?: string }

/** The endpoint from the flags, else the settings' profiles and routing, else a local vLLM. */
export function endpointFromFlags(flags: EndpointFlags, file: SettingsFile): { choice: EndpointChoice; describe: string } {
  if (flags.endpoint && flags['base-url']) throw new UsageError('--endpoint and --base-url cannot be combined: name a profile, or give a URL and --model');
  if (flags.provider && !PROVIDERS.includes(flags.provider as Provider)) throw new UsageError(`--provider "${flags.provider}": use one of ${PROVIDERS.join(', ')}`);
  if (flags['base-url']) {
    let url: URL;
    try { url = new URL(flags['base-url']); } catch { throw new UsageError(`--base-url "${flags['base-url']}" is not a URL; e.g. --base-url http://localhost:8000/v1`); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--base-url "${flags['base-url']}" must start with http:// or https://`);
    const profile: ResolvedProfile = {
      ...resolveProfile({
        id: 'cli', label: flags['base-url'].replace(/\/+$/, ''), provider: (flags.provider as Provider | undefined) ?? providerOfHost(url.hostname), baseUrl: flags['base-url'],
        model: flags.model, auth: flags['api-key-env'] ? 'apiKey' : 'none',
      }),
      origin: 'flag',
    };
    return { choice: { profile, route: { rule: 'override', reason: 'chosen with --base-url' } }, describe: '--base-url' };
  }
  if (flags.model) throw new UsageError('--model needs --base-url (a profile from --endpoint names its own model)');
  if (flags.endpoint) {
    if (!file.profiles.some((p) => p.id === flags.endpoint)) {
      const known = file.profiles.map((p) => p.id).join(', ');
      throw new UsageError(`--endpoint "${flags.endpoint}" is not a profile in ${file.file ?? 'the settings file (none found: pass --settings FILE)'}${known ? `; known: ${known}` : ''}`);
    }
  }
  if (file.profiles.length === 0) {
    return { choice: { profile: defaultProfile(), route: { rule: 'default', reason: 'no profile in "ponder.endpoints": the local vLLM at http://localhost:8000/v1' } }, describe: 'default' };
  }
  return {
    choice: {
      profiles: file.profiles, rules: file.rules, defaultId: file.settings['ponder.defaultEndpoint'] || undefined,
      override: flags.endpoint, overrideSource: flags.endpoint ? '--endpoint' : undefined,
    },
    describe: 'settings',
  };
}
