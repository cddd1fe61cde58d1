import fs from 'node:fs';
import path from 'node:path';

/**
 * Secret material never goes to a model: whole files by name, and lines that look like
 * credentials inside other files (replaced by a marker, counted in the trace).
 */
const SECRET_NAME = [
  /^\.env(\..*)?$/i, // .env, .env.local, .env.production ...
  /^\.envrc$/i, // direnv
  /\.env$/i, // prod.env, app.env
  /\.(pem|key|p12|pfx|jks|keystore|ppk|asc|gpg|der|crt|cer|kdbx|p8)$/i,
  /\.tfvars(\.json)?$/i,
  /^kubeconfig([.-].*)?$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$/i,
  /^[._]?(netrc|npmrc|pypirc|pgpass|htpasswd|git-credentials|dockercfg)$/i,
  /^credentials(\.(json|ya?ml|xml|ini|txt))?$/i,
  /^(secrets?|service[-_]?account)(\.[\w-]+)?\.(json|ya?ml|toml|ini)$/i,
  /\.tfstate(\.backup)?$/i,
];
const SECRET_DIR = /(^|\/)(\.ssh|\.aws|\.gnupg|\.docker|\.kube)\//i;
/** Example files document variable names, not values: keep them. */
const EXAMPLE = /\.(example|sample|template|dist)$/i;

/**
 * True when `abs` reaches a secret file through a symlink (its own or a linked folder's):
 * `notes.txt -> .env` is as secret as `.env`. The rule is applied to the real path.
 */
export function isSecretTarget(abs: string): boolean {
  let real: string;
  try { real = fs.realpathSync(abs); } catch { return false; }
  if (real === path.resolve(abs)) return false;
  return isSecretPath(real.split(path.sep).join('/'));
}

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
  // With or without a user: redis://:pw@host too.
  ['connection string password', /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):([^\s@/]{3,})@/gi],
  ['Azure key', /\b((?:AccountKey|SharedAccessKey|SharedAccessSignature)=)[A-Za-z0-9+/%=]{16,}/g],
  ['Azure storage key', /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==/g],
];

/** `Basic <base64 of user:password>`, checked by decoding (so "Basic usage" stays). */
const BASIC = /\b(Basic)\s+([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/g;
function isBasicCredential(b64: string): boolean {
  const s = Buffer.from(b64, 'base64').toString('latin1');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(s);
}

/** The names that make a value secret whatever it looks like. */
const SECRET_WORD = '(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth)';
/** Unquoted `.env` style `KEY=value` and YAML `key: value`, a whole line. */
const UNQUOTED = new RegExp(`^(\\s*(?:export\\s+)?-?\\s*[\\w.-]*${SECRET_WORD}[\\w.-]*\\s*[:=]\\s*)([^\\s'"\`#][^#]*?)(\\s*(?:#.*)?)$`, 'i');
/** PHP's define('DB_PASSWORD', 'value'). */
const DEFINE = new RegExp(`(\\bdefine\\s*\\(\\s*(["'])[\\w.-]*${SECRET_WORD}[\\w.-]*\\2\\s*,\\s*)(["'])([^"'\\n]+)\\3`, 'gi');

/** `name = "value"` / `name: 'value'` where the name says secret and the value is not code. */
const ASSIGN = new RegExp(`((?:^|[\\s{,(])["']?[\\w.-]*${SECRET_WORD}[\\w.-]*["']?\\s*[:=]\\s*)(["'\`])([^"'\`\\n]{3,})\\2`, 'gi');

/**
 * A value given to a name that says secret: secret whatever its entropy, unless it is a
 * placeholder, a reference to somewhere else, code, or a sentence.
 */
function looksSecret(value: string): boolean {
  const v = value.trim();
  if (v.length < 3) return false;
  if (/\s/.test(v) && v.split(/\s+/).length > 2) return false; // prose, not a key
  if (/^(\$\{|\$\(|\{\{|<|%\(|process\.env|os\.environ|os\.getenv|env\(|getenv|ENV\[|self\.|this\.|xxx|\*+$|changeme|your[-_ ]|example|placeholder|dummy|null|none|nil|true|false|undefined|""|'')/i.test(v)) return false;
  if (/^[\w.]+\(.*\)[;,]?$/.test(v) || /^[\w$]+(\.[\w$]+)+[;,]?$/.test(v) && !/\d/.test(v)) return false; // a call or a member access
  return true;
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
  let out = text.replace(/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END \1PRIVATE KEY\2-----|$)/g, (block, _k, _b, _e, offset: number) => {
    const line = lineAt(text, offset);
    redactions.push({ line, kind: 'private key block' });
    return block.split('\n').map(() => MARK).join('\n');
  });
  if (!mayHaveSecret(out)) return { text: out, redactions };
  const lines = out.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line === MARK) continue; // every other line is checked, however long
    for (const [kind, re] of TOKEN_PATTERNS) {
      re.lastIndex = 0;
      if (re.test(line)) {
        re.lastIndex = 0;
        line = line.replace(re, kind === 'bearer token' ? '$1 ' + MARK : kind === 'connection string password' ? '$1:' + MARK + '@' : MARK);
        redactions.push({ line: i + 1, kind });
      }
    }
    BASIC.lastIndex = 0;
    line = line.replace(BASIC, (whole, word: string, b64: string) => {
      if (!isBasicCredential(b64)) return whole;
      redactions.push({ line: i + 1, kind: 'basic auth' });
      return `${word} ${MARK}`;
    });
    ASSIGN.lastIndex = 0;
    line = line.replace(ASSIGN, (whole, lhs: string, q: string, value: string) => {
      if (!looksSecret(value)) return whole;
      redactions.push({ line: i + 1, kind: 'secret assignment' });
      return `${lhs}${q}${MARK}${q}`;
    });
    DEFINE.lastIndex = 0;
    line = line.replace(DEFINE, (whole, lhs: string, _q: string, q: string, value: string) => {
      if (!looksSecret(value)) return whole;
      redactions.push({ line: i + 1, kind: 'secret assignment' });
      return `${lhs}${q}${MARK}${q}`;
    });
    const bare = UNQUOTED.exec(line);
    if (bare && looksSecret(bare[2]) && !bare[2].includes(MARK)) {
      redactions.push({ line: i + 1, kind: 'secret assignment' });
      line = `${bare[1]}${MARK}${bare[3]}`;
    }
    lines[i] = line;
  }
  out = lines.join('\n');
  return { text: out, redactions };
}

/** False when redactSecrets would certainly leave `text` unchanged (the index caches this per content). */
export function mayContainSecrets(text: string): boolean {
  return /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/.test(text) || mayHaveSecret(text);
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
  BASIC.lastIndex = 0;
  while ((m = BASIC.exec(text))) if (isBasicCredential(m[2])) return true;
  DEFINE.lastIndex = 0;
  if (DEFINE.test(text)) return true;
  // Unquoted assignments: only lines that name a secret are looked at closely.
  const named = new RegExp(SECRET_WORD, 'i');
  if (!named.test(text)) return false;
  for (const line of text.split('\n')) {
    if (!named.test(line)) continue;
    const b = UNQUOTED.exec(line);
    if (b && looksSecret(b[2])) return true;
  }
  return false;
}

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
