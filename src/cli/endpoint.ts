import fs from 'node:fs';
import path from 'node:path';
// The ESM build: the UMD `main` requires its parts dynamically, which a bundle cannot follow.
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import { PROVIDERS, type EndpointProfileInput, type Provider } from '../core/config/profile';
import { parseEndpointProfiles } from '../core/config/settings';
import { defaultProfile, resolveProfile } from '../core/model/profiles';
import type { ResolvedProfile } from '../core/model/types';

/**
 * The endpoint a CLI command talks to, shared by `ponder ask` and `ponder models`:
 * `--base-url URL [--model M] [--provider P]`, or `--endpoint ID` from a settings file
 * (`--settings FILE`, default `.vscode/settings.json` under `--root`), or the settings file's
 * default profile, or a local vLLM. The key comes only from `--api-key-env VAR`.
 */
export interface EndpointFlags {
  endpoint?: string;
  settings?: string;
  root?: string;
  'base-url'?: string;
  model?: string;
  provider?: string;
  'api-key-env'?: string;
}

/** Bad flags or config: the CLI prints the message and exits 2. */
export class UsageError extends Error {}

export interface CliEndpoint {
  profile: ResolvedProfile;
  apiKey?: string;
  /** Problems with other profiles in the settings file: print as warnings. */
  warnings: string[];
}

/** parseArgs options for the flags above, to spread into a command's own options. */
export const ENDPOINT_OPTIONS = {
  endpoint: { type: 'string' },
  settings: { type: 'string' },
  root: { type: 'string' },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  'api-key-env': { type: 'string' },
} as const;

export function resolveCliEndpoint(flags: EndpointFlags, env: NodeJS.ProcessEnv, cwd: string): CliEndpoint {
  const apiKey = readKey(flags['api-key-env'], env);
  if (flags['base-url']) {
    if (flags.endpoint) throw new UsageError('Give either --endpoint or --base-url, not both.');
    const provider = (flags.provider ?? 'openai-compatible') as Provider;
    if (!PROVIDERS.includes(provider)) throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}; got "${flags.provider}".`);
    try { new URL(flags['base-url']); } catch { throw new UsageError(`--base-url "${flags['base-url']}" is not a URL (e.g. http://localhost:8000/v1).`); }
    const input: EndpointProfileInput = { id: 'cli', label: flags['base-url'], provider, baseUrl: flags['base-url'], model: flags.model, auth: apiKey ? 'apiKey' : 'none' };
    return { profile: resolveProfile(input), apiKey, warnings: [] };
  }

  const root = path.resolve(cwd, flags.root ?? '.');
  const file = flags.settings ? path.resolve(cwd, flags.settings) : path.join(root, '.vscode', 'settings.json');
  const settings = readSettingsFile(file, !!flags.settings || !!flags.endpoint);
  const raw = settings?.['ponder.endpoints'];
  if (raw !== undefined && !Array.isArray(raw)) throw new UsageError(`"ponder.endpoints" in ${file} must be an array of profiles.`);
  const { profiles, problems } = parseEndpointProfiles((raw as unknown[] | undefined) ?? []);
  const warnings = problems.map((p) => `${file}: ${p.message}`);
  let chosen: EndpointProfileInput | undefined;
  if (flags.endpoint) {
    chosen = profiles.find((p) => p.id === flags.endpoint);
    if (!chosen) {
      const bad = problems.find((p) => p.message.includes(`"${flags.endpoint}"`));
      throw new UsageError(bad ? bad.message : `No endpoint profile "${flags.endpoint}" in ${file}${profiles.length ? ` (it has: ${profiles.map((p) => p.id).join(', ')})` : ' (it has no "ponder.endpoints")'}.`);
    }
  } else {
    const def = typeof settings?.['ponder.defaultEndpoint'] === 'string' ? settings['ponder.defaultEndpoint'] : '';
    chosen = profiles.find((p) => p.id === def) ?? profiles[0];
  }
  let profile = chosen ? resolveProfile(chosen) : defaultProfile();
  if (flags.model) profile = { ...profile, model: flags.model };
  return { profile, apiKey, warnings };
}

function readKey(envVar: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (envVar === undefined) return undefined;
  const key = env[envVar]?.trim();
  if (!key) throw new UsageError(`--api-key-env ${envVar}: that environment variable is not set or empty.`);
  return key;
}

/** settings.json is JSONC (comments, trailing commas), as VS Code writes it. */
function readSettingsFile(file: string, required: boolean): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    if (required) throw new UsageError(`Cannot read the settings file ${file}: pass --settings FILE or --root DIR, or use --base-url.`);
    return undefined;
  }
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  if (errors.length) {
    const e = errors[0];
    const line = text.slice(0, e.offset).split('\n').length;
    throw new UsageError(`${file}:${line}: ${printParseErrorCode(e.error)}; fix the JSON.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${file} does not contain a settings object.`);
  return value as Record<string, unknown>;
}
