import { describeError, scrubSecrets } from '../core/model/errors';
import { listModels } from '../core/model/discovery';
import { ENDPOINT_OPTIONS, resolveCliEndpoint, UsageError } from './endpoint';
import { EXIT, parseFlags, type CliCommand } from './main';

/**
 * `ponder models [--endpoint ID --settings FILE --root DIR | --base-url URL] [--api-key-env VAR] [--json]`:
 * what the endpoint serves and each model's context window (vLLM's max_model_len).
 */
export const modelsCommand: CliCommand = async (argv, io) => {
  let flags;
  let endpoint;
  try {
    ({ values: flags } = parseFlags(argv, { ...ENDPOINT_OPTIONS, json: { type: 'boolean' } }));
    endpoint = resolveCliEndpoint(flags, io.env, io.cwd);
  } catch (err) {
    io.err(`ponder models: ${err instanceof Error ? err.message : String(err)}\n`);
    if (!(err instanceof UsageError)) io.err('Usage: ponder models [--endpoint ID [--settings FILE] [--root DIR] | --base-url URL] [--api-key-env VAR] [--json]\n');
    return EXIT.usage;
  }
  for (const w of endpoint.warnings) io.err(`warning: ${w}\n`);
  const { profile, apiKey } = endpoint;
  try {
    const models = await listModels(profile, apiKey);
    // The profile's own window applies to its model when the server does not say.
    const rows = models.map((m) => ({ id: m.id, contextWindow: m.contextWindow ?? (m.id === profile.model && profile.contextWindowSource !== 'default' ? profile.contextWindow : undefined) }));
    if (flags.json) {
      io.out(JSON.stringify({ endpoint: profile.id, baseUrl: profile.baseUrl, models: rows }) + '\n');
    } else {
      io.out(`${profile.label} (${profile.baseUrl})\n`);
      if (!rows.length) io.out('  (no models)\n');
      const width = Math.max(5, ...rows.map((r) => r.id.length));
      for (const r of rows) io.out(`  ${r.id.padEnd(width)}  ${r.contextWindow ? `${r.contextWindow.toLocaleString('en-US')} tokens` : 'context window not reported'}${r.id === profile.model ? '  (profile model)' : ''}\n`);
    }
    return EXIT.ok;
  } catch (err) {
    const e = describeError(err, { profile, hadKey: !!apiKey });
    io.err(scrubSecrets(`ponder models: ${e.message}\n${e.action ? `${e.action}\n` : ''}`, [apiKey]));
    return EXIT.failed;
  }
};
