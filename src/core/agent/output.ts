/**
 * Command and check output trimmed to what a model needs to fix things: the failures (lines
 * that say error, fail, assert, expected... with a few lines after each), the last lines (where
 * summaries and stack ends are) and the first lines (what ran), within a token cap. Colour codes
 * go; every cut is marked with how many lines were left out.
 */

// eslint-disable-next-line no-control-regex -- terminal colour and title sequences are exactly what is removed
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const FAILURE = /\b(?:error|errors|fail(?:ed|ure|ing|s)?|assert(?:ion)?|expected|exception|panic(?:ked)?|traceback|not ok|undefined reference|cannot find|TS\d{4}|E\d{3,4})\b|✗|✖|×|●/i;
const MAX_LINE = 400;
const HEAD = 8;
const TAIL = 30;
const AFTER_FAILURE = 4;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function trimOutput(raw: string, maxTokens: number, count: (text: string) => number): string {
  const text = stripAnsi(raw).replace(/\r\n?/g, '\n').trimEnd();
  if (count(text) <= maxTokens) return text;
  const lines = text.split('\n').map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)} […]` : l));
  const n = lines.length;
  // Priority per line: lower is kept first.
  const rank = new Array<number>(n).fill(Infinity);
  const mark = (i: number, r: number) => { if (i >= 0 && i < n && r < rank[i]) rank[i] = r; };
  for (let i = 0; i < n; i++) {
    if (FAILURE.test(lines[i])) for (let k = 0; k <= AFTER_FAILURE; k++) mark(i + k, 1 + k * 0.1);
  }
  for (let i = 0; i < Math.min(TAIL, n); i++) mark(n - 1 - i, i < 10 ? 0 : 2 + i / 100);
  for (let i = 0; i < Math.min(HEAD, n); i++) mark(i, i < 3 ? 0.5 : 3 + i / 100);
  // Failures in order of appearance: the first ones matter most.
  const order = [...rank.keys()].filter((i) => rank[i] !== Infinity).sort((a, b) => rank[a] - rank[b] || a - b);
  const keep = new Set<number>();
  const reserve = 24; // room for the omission markers
  let used = 0;
  for (const i of order) {
    const t = count(lines[i]) + 1;
    if (used + t > maxTokens - reserve) continue;
    used += t;
    keep.add(i);
  }
  const out: string[] = [];
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    if (keep.has(i)) {
      if (skipped) out.push(`[… ${skipped} line${skipped === 1 ? '' : 's'} omitted …]`);
      skipped = 0;
      out.push(lines[i]);
    } else skipped++;
  }
  if (skipped) out.push(`[… ${skipped} line${skipped === 1 ? '' : 's'} omitted …]`);
  return out.join('\n');
}
