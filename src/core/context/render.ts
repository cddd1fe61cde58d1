/**
 * How packed items read in the prompt: a header with the path and line ranges, then the code in
 * a fence longer than any backtick run inside it. Item tokens are counted on exactly this text.
 *
 * Special-token text found in files (`<|endoftext|>`, `<|im_start|>`...) is sent as plain text:
 * some servers parse such strings in message content as control tokens, so a zero-width space
 * after `<|` keeps them inert; they are counted as the text that is sent.
 */
const SPECIAL = /<\|([A-Za-z0-9_:.-]{1,40})\|>/g;

export function neutralizeSpecialTokens(text: string): string {
  return text.indexOf('<|') === -1 ? text : text.replace(SPECIAL, '<\u200b|$1|>');
}

const LANG: Record<string, string> = { ts: 'ts', tsx: 'tsx', mts: 'ts', cts: 'ts', js: 'js', jsx: 'jsx', mjs: 'js', cjs: 'js', json: 'json', md: 'md', css: 'css', scss: 'scss', html: 'html', vue: 'vue', svelte: 'svelte', py: 'python', go: 'go', rs: 'rust', yml: 'yaml', yaml: 'yaml', sh: 'sh' };

export function formatRanges(ranges: Array<[number, number]>): string {
  return ranges.map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`)).join(', ');
}

/** One file item: whole (`ranges` undefined) or excerpts of `lines` (the file's lines). */
export function renderFileItem(displayPath: string, lines: string[], ranges?: Array<[number, number]>): string {
  return renderFileLines(displayPath, lines, ranges).lines.join('\n');
}

/**
 * The item as lines (joined with '\n' they are its text) and, per line, the 0-based file line
 * it shows or -1 (header, fences, the ⋮ between excerpts): counting reuses the file's chunks.
 */
export function renderFileLines(displayPath: string, lines: readonly string[], ranges?: Array<[number, number]>): { lines: string[]; src: Int32Array } {
  const ext = displayPath.slice(displayPath.lastIndexOf('.') + 1).toLowerCase();
  const body: string[] = [];
  const from: number[] = [];
  const take = (s: number, e: number) => {
    for (let ln = s; ln <= e && ln <= lines.length; ln++) {
      body.push(neutralizeSpecialTokens(lines[ln - 1]));
      from.push(ln - 1);
    }
  };
  if (!ranges) take(1, lines.length);
  else {
    ranges.forEach(([s, e], i) => {
      if (i > 0 || s > 1) {
        body.push('⋮');
        from.push(-1);
      }
      take(s, e);
    });
    if (ranges.length > 0 && ranges[ranges.length - 1][1] < lines.length) {
      body.push('⋮');
      from.push(-1);
    }
  }
  // No trailing blank lines (an empty body is one empty line).
  while (body.length > 1 && body[body.length - 1] === '') {
    body.pop();
    from.pop();
  }
  if (body.length === 0) {
    body.push('');
    from.push(-1);
  }
  let longest = 0;
  for (const l of body) if (l.includes('```')) for (const m of l.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const header = ranges ? `### ${displayPath} (lines ${formatRanges(ranges)})` : `### ${displayPath}`;
  const out = [header, fence + (LANG[ext] ?? ''), ...body, fence, '', ''];
  const src = new Int32Array(out.length).fill(-1);
  for (let k = 0; k < from.length; k++) src[k + 2] = from[k];
  return { lines: out, src };
}

export function renderMapItem(map: string): string {
  return `### Repository map (paths and top-level symbols)\n${neutralizeSpecialTokens(map).replace(/\n+$/, '')}\n\n`;
}

/** The prompt text of packed items, in order: their texts concatenated. */
export function renderContext(items: ReadonlyArray<{ text: string }>): string {
  return items.map((i) => i.text).join('');
}
