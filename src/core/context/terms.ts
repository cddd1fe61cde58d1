/**
 * Code-aware terms for matching requests to files: identifiers split at camelCase, snake_case,
 * kebab-case and digits, lower-cased, lightly stemmed; words that carry no meaning in code or
 * commit subjects (keywords, "fix", "the") dropped.
 */
const STOP = new Set([
  // English
  'the', 'and', 'for', 'with', 'from', 'into', 'that', 'this', 'not', 'are', 'was', 'when', 'then', 'than', 'but', 'its', 'it', 'of', 'to', 'in', 'on', 'is', 'be', 'by', 'an', 'as', 'at', 'or', 'if', 'no', 'do', 'we', 'use', 'using', 'used', 'all', 'can', 'has', 'have', 'should', 'instead', 'only', 'also', 'more', 'some', 'other', 'make', 'allow', 'support', 'add', 'remove', 'update', 'change', 'handle', 'set', 'via', 'don', 'doesn', 'isn', 'need', 'how', 'what', 'why', 'where', 'does', 'work', 'code', 'file',
  // commit prefixes
  'fix', 'feat', 'refactor', 'perf', 'chore', 'docs', 'doc', 'test', 'tests', 'style', 'build', 'ci', 'revert', 'wip', 'bump', 'release', 'merge',
  // keywords
  'const', 'let', 'var', 'function', 'return', 'import', 'export', 'default', 'class', 'interface', 'type', 'extends', 'implements', 'new', 'this', 'true', 'false', 'null', 'undefined', 'void', 'async', 'await', 'if', 'else', 'for', 'while', 'switch', 'case', 'break', 'continue', 'try', 'catch', 'finally', 'throw', 'typeof', 'instanceof', 'in', 'of', 'string', 'number', 'boolean', 'any', 'unknown', 'never', 'object', 'readonly', 'public', 'private', 'protected', 'static', 'get', 'require', 'module', 'exports', 'keyof', 'as', 'is', 'ts', 'js', 'tsx', 'jsx', 'mjs', 'cjs', 'src', 'lib', 'index', 'expect', 'it', 'describe', 'todo',
]);

export function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed')) return w.slice(0, -2);
  if (w.length > 4 && w.endsWith('es') && /(ss|x|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

const WORD = /[A-Za-z][A-Za-z0-9]*/g;
const SPLIT_NEEDED = /[a-z][A-Z]|[A-Z]{2}[a-z]|\d/;
/** word -> its terms; words repeat a lot in code, so this saves most of the work. */
const memo = new Map<string, readonly string[]>();

function wordTerms(word: string): readonly string[] {
  let hit = memo.get(word);
  if (hit) return hit;
  const parts = word.length > 3 && SPLIT_NEEDED.test(word)
    ? word.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').split(/[\s\d]+/)
    : [word];
  const out: string[] = [];
  for (const p of parts) {
    if (p.length < 2) continue;
    const lower = p.toLowerCase();
    if (STOP.has(lower)) continue;
    out.push(stem(lower));
  }
  hit = out;
  if (memo.size > 200_000) memo.clear();
  memo.set(word, hit);
  return hit;
}

/** Terms of a text: split identifiers, stemmed, stop words removed; order kept, repeats kept. */
export function terms(text: string, out: string[] = []): string[] {
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(text))) {
    const word = m[0];
    if (word.length > 40) continue; // base64, hashes
    for (const t of wordTerms(word)) out.push(t);
  }
  return out;
}

/** Identifiers (whole, unsplit) of a code text, keywords removed: for definition lookups. */
export function identifiers(text: string): Set<string> {
  const out = new Set<string>();
  const re = /[A-Za-z_$][\w$]*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const w = m[0];
    if (w.length < 3 || STOP.has(w.toLowerCase())) continue;
    out.add(w);
  }
  return out;
}

/** Terms of a path: each segment and the file stem split like code. */
export function pathTerms(rel: string): string[] {
  return terms(rel.replace(/\.[a-z0-9]+$/i, '').replace(/[/._-]+/g, ' '));
}
