/**
 * Lookups in a text of `key\tvalue` lines sorted by key (JS string order), in place: a binary
 * search over character positions, so a file of hundreds of thousands of lines is usable as
 * soon as it is read, with nothing parsed or indexed up front.
 */
export function lookupSorted(raw: string, key: string): string | undefined {
  let lo = 0; // the answer's line starts in [lo, hi)
  let hi = raw.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = mid === 0 ? 0 : raw.indexOf('\n', mid - 1) + 1; // first line start >= mid
    if ((start === 0 && mid > 0) || start >= hi) {
      hi = mid;
      continue;
    }
    const tab = raw.indexOf('\t', start);
    let end = raw.indexOf('\n', start);
    if (end === -1) end = raw.length;
    if (tab === -1 || tab > end) return undefined; // not our format
    const k = raw.slice(start, tab);
    if (k === key) return raw.slice(tab + 1, end);
    if (k < key) lo = end + 1;
    else hi = mid;
  }
  return undefined;
}

/** Sorted `key\tvalue` lines for lookupSorted (keys must hold no tab or newline). */
export function sortedLines(entries: Iterable<readonly [string, string | number]>): string {
  const rows = [...entries];
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return rows.map(([k, v]) => `${k}\t${v}`).join('\n') + '\n';
}

const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/; // printable ASCII but " and \\

/** JSON text of a value with every non-ASCII character escaped: such files read back as one-byte strings. */
export function asciiJson(value: unknown): string {
  // Most keys are plain printable ASCII: quoting is all their JSON takes.
  if (typeof value === 'string' && PLAIN.test(value)) return `"${value}"`;
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
