import { keyDecision } from '../core/model/keyPolicy';
import path from 'node:path';
import { describeError, scrubSecrets } from '../core/model/errors';
import { listModels } from '../core/model/discovery';
import { defaultProfile } from '../core/model/profiles';
import type { ResolvedProfile } from '../core/model/types';
import { endpointFromFlags, loadSettingsFile } from './askConfig';
import { EXIT, parseFlags, UsageError, type CliCommand } from './command';

const USAGE = `Usage: ponder models [--endpoint ID [--settings FILE] [--root DIR] | --base-url URL [--provider P]] [--api-key-env VAR] [--json]

  --endpoint ID      a profile from "ponder.endpoints" in the settings file (default: ponder.defaultEndpoint,
                     else the first profile, else the built-in default: a local vLLM at http://localhost:8000/v1)
  --settings FILE    VS Code settings.json with ponder.* settings (default: DIR/.vscode/settings.json)
  --root DIR         where to look for .vscode/settings.json (default: the current directory)
  --base-url URL     any OpenAI-compatible server instead of a profile
  --provider P       how to talk to --base-url: vllm, openai-compatible, foundry, openrouter, fireworks, baseten
                     (default: from the host: *.services.ai.azure.com, *.openai.azure.com are foundry)
  --api-key-env VAR  read the API key from this environment variable (never printed)
  --json             print {"endpoint","baseUrl","models":[{"id","contextWindow"}]} on one line

Lists the models the endpoint serves and each one's context window where the server reports it
(vLLM's max_model_len). Exit codes: 0 done, 1 the server could not be asked, 2 bad usage or config.`;

/**
 * `ponder models`: what an endpoint serves and each model's context window (vLLM's
 * max_model_len). The endpoint comes from the same flags and settings file as `ponder ask`.
 */
export const modelsCommand: CliCommand = async (argv, io) => {
  let json: boolean;
  let profile: ResolvedProfile;
  let apiKey: string | undefined;
  try {
    const { values } = parseFlags(argv, {
      endpoint: { type: 'string' }, settings: { type: 'string' }, root: { type: 'string' }, 'base-url': { type: 'string' },
      provider: { type: 'string' }, 'api-key-env': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    }, false, 'models');
    if (values.help) {
      io.out(USAGE + '\n');
      return EXIT.ok;
    }
    json = !!values.json;
    const file = loadSettingsFile(values.root ? path.resolve(io.cwd, values.root) : io.cwd, values.settings && path.resolve(io.cwd, values.settings));
    for (const w of file.warnings) io.err(`warning: ${w}\n`);
    const { choice } = endpointFromFlags(values, file);
    // No routing here: the named profile, else the default one, else the first, else local vLLM.
    profile = 'profile' in choice ? choice.profile
      : file.profiles.find((p) => p.id === (values.endpoint ?? file.settings['ponder.defaultEndpoint'])) ?? file.profiles[0] ?? defaultProfile();
    const envVar = values['api-key-env'];
    if (envVar !== undefined) {
      apiKey = io.env[envVar]?.trim();
      if (!apiKey) throw new UsageError(`--api-key-env ${envVar}: that environment variable is not set or empty`);
      // The same rule as ponder ask: no key to auth "none", nor to a profile the repository's settings chose unasked.
      const fromRepository = !('profile' in choice) && !values.settings && !!file.file;
      const d = keyDecision(profile, { fromRepository, namedByUser: values.endpoint === profile.id, settingsFile: file.file, keySource: `--api-key-env ${envVar}` });
      const note = d.send ? d.warning : d.reason;
      if (note) io.err(`ponder models: warning: ${note}\n`);
      if (!d.send) apiKey = undefined;
    }
  } catch (err) {
    io.err(`ponder models: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.usage;
  }
  try {
    const models = await listModels(profile, apiKey);
    // The profile's own window applies to its model when the server does not say.
    const rows = models.map((m) => ({ id: m.id, contextWindow: m.contextWindow ?? (m.id === profile.model && profile.contextWindowSource !== 'default' ? profile.contextWindow : undefined) }));
    if (json) {
      io.out(JSON.stringify({ endpoint: profile.id, baseUrl: profile.baseUrl, models: rows }) + '\n');
      return EXIT.ok;
    }
    io.out(profile.label === profile.baseUrl || profile.label === profile.id ? `${profile.id}: ${profile.baseUrl}\n` : `${profile.label} (${profile.baseUrl})\n`);
    if (!rows.length) io.out('  (no models)\n');
    const width = Math.max(5, ...rows.map((r) => r.id.length));
    for (const r of rows) io.out(`  ${r.id.padEnd(width)}  ${r.contextWindow ? `${r.contextWindow.toLocaleString('en-US')} tokens` : 'context window not reported'}${r.id === profile.model ? '  (profile model)' : ''}\n`);
    return EXIT.ok;
  } catch (err) {
    const e = describeError(err, { profile, hadKey: !!apiKey });
    io.err(scrubSecrets(`ponder models: ${e.message}\n${e.action ? `${e.action}\n` : ''}`, [apiKey]));
    return EXIT.failed;
  }
};
