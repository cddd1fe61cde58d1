/**
 * Secret material never goes to a model: whole files by name, and lines that look like
 * credentials inside other files (replaced by a marker, counted in the trace).
 */
const SECRET_NAME = [
  /^\.env(\..*)?$/i, // .env, .env.local, .env.production ...
  /\.(pem|key|p12|pfx|jks|keystore|ppk|asc|gpg|der|crt|cer|kdbx)$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$/i,
  /^\.?(netrc|npmrc|pypirc|pgpass|htpasswd|git-credentials|dockercfg)$/i,
  /^credentials(\.(json|ya?ml|xml|ini|txt))?$/i,
  /^(secrets?|service[-_]?account)(\.[\w-]+)?\.(json|ya?ml|toml|ini)$/i,
  /\.tfstate(\.backup)?$/i,
];
const SECRET_DIR = /(^|\/)(\.ssh|\.aws|\.gnupg|\.docker)\//i;
/** Example files document variable names, not values: keep them. */
const EXAMPLE = /\.(example|sample|template|dist)$/i;

export function isSecretPath(relPath: string): boolean {
  const p = relPath.replace(/\\/g, '/');
  if (SECRET_DIR.test(p)) return true;
  const base = p.slice(p.lastIndexOf('/') + 1);
  if (EXAMPLE.test(base)) return false;
  return SECRET_NAME.some((re) => re.test(base));
}

const MARK = '[REDACTED by Ponder: looks like a credential]';

/** Patterns whose whole match is a credential. */
const TOKEN_PATTERNS: Array<[string, RegExp]> = [
  ['AWS access key', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g],
  ['API key (sk-)', /\bsk-(?:proj-|ant-|or-v1-)?[A-Za-z0-9_-]{20,}\b/g],
  ['GitHub token', /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/g],
  ['Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g],
  ['Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/g],
  ['bearer token', /\b(Bearer)\s+[A-Za-z0-9._~+/-]{20,}=*/g],
  ['JWT', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g],
  ['connection string password', /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):([^\s@/]{3,})@/gi],
];

/** `name = "value"` / `name: 'value'` where the name says secret and the value is not code. */
const ASSIGN = /((?:^|[\s{,(])["']?[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|auth)[\w.-]*["']?\s*[:=]\s*)(["'`])([^"'`\n]{6,})\2/gi;

function entropy(s: string): number {
  const freq = new Map<string, number>();
  for (const c of s) freq.set(c, (freq.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of freq.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A quoted value that is plausibly a real secret rather than a placeholder or a message. */
function looksSecret(value: string): boolean {
  if (/\s/.test(value) && value.split(/\s+/).length > 2) return false; // prose, not a key
  if (/^(\$\{|\{\{|<|process\.env|xxx|\*+$|changeme|your[-_ ]|example|placeholder|test|dummy)/i.test(value)) return false;
  return value.length >= 8 && entropy(value) >= 3;
}

export interface Redaction {
  /** 1-based line. */
  readonly line: number;
  readonly kind: string;
}

/** Replaces credential-looking text; lines keep their count so ranges stay true. */
export function redactSecrets(text: string): { text: string; redactions: Redaction[] } {
  const redactions: Redaction[] = [];
  // Private key blocks: every line of the block is replaced, line count kept.
  let out = text.replace(/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(-----END \1PRIVATE KEY-----|$)/g, (block, _k, _e, offset: number) => {
    const line = lineAt(text, offset);
    redactions.push({ line, kind: 'private key block' });
    return block.split('\n').map(() => MARK).join('\n');
  });
  if (!mayHaveSecret(out)) return { text: out, redactions };
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line === MARK || line.length > 2000) continue;
    for (const [kind, re] of TOKEN_PATTERNS) {
      re.lastIndex = 0;
      if (re.test(line)) {
        re.lastIndex = 0;
        line = line.replace(re, kind === 'bearer token' ? '$1 ' + MARK : kind === 'connection string password' ? '$1:' + MARK + '@' : MARK);
        redactions.push({ line: i + 1, kind });
      }
    }
    ASSIGN.lastIndex = 0;
    line = line.replace(ASSIGN, (whole, lhs: string, q: string, value: string) => {
      if (!looksSecret(value)) return whole;
      redactions.push({ line: i + 1, kind: 'secret assignment' });
      return `${lhs}${q}${MARK}${q}`;
    });
    lines[i] = line;
  }
  out = lines.join('\n');
  return { text: out, redactions };
}

/** False when redactSecrets would certainly leave `text` unchanged (the index caches this per content). */
export function mayContainSecrets(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text) || mayHaveSecret(text);
}

/** Pre-check over the whole text (native regex scans) so ordinary files skip the per-line pass. */
function mayHaveSecret(text: string): boolean {
  for (const [, re] of TOKEN_PATTERNS) {
    re.lastIndex = 0;
    if (re.test(text)) return true;
  }
  ASSIGN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ASSIGN.exec(text))) if (looksSecret(m[3])) return true;
  return false;
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
