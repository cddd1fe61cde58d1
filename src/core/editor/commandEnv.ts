/**
 * The environment of a command Ponder runs for the model (run_command, the agent's checks): the
 * user's, minus what could hand the model a credential. Removed: the variables named (the API-key
 * variable of the endpoint, `--api-key-env`) and any whose name says it holds a secret (a part
 * that is KEY, APIKEY, TOKEN or ends in KEY, or PASSWORD, PASSWD, SECRET, CREDENTIAL anywhere:
 * OPENAI_API_KEY, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, PGPASSWORD). Everything a build needs
 * stays (PATH, HOME, LANG, proxies, SSH_AUTH_SOCK, TOKENIZERS_PARALLELISM...).
 */
const SECRET_ANYWHERE = /PASSWORD|PASSWD|SECRET|CREDENTIAL/i;
const SECRET_PART = /^(?:[A-Z0-9]*KEY|TOKEN|APIKEY)$/i;

export function isSecretEnvName(name: string): boolean {
  return SECRET_ANYWHERE.test(name) || name.split(/[_.-]/).some((part) => SECRET_PART.test(part));
}

export function commandEnv(base: NodeJS.ProcessEnv, hide: readonly string[] = []): NodeJS.ProcessEnv {
  const hidden = new Set(hide.map((n) => n.toUpperCase()));
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || hidden.has(name.toUpperCase()) || isSecretEnvName(name)) continue;
    out[name] = value;
  }
  return out;
}
