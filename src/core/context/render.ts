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

function fenceFor(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

export function formatRanges(ranges: Array<[number, number]>): string {
  return ranges.map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`)).join(', ');
}

/** One file item: whole (`ranges` undefined) or excerpts of `lines` (the file's lines). */
export function renderFileItem(displayPath: string, lines: string[], ranges?: Array<[number, number]>): string {
  const ext = displayPath.slice(displayPath.lastIndexOf('.') + 1).toLowerCase();
  let body: string;
  if (!ranges) body = lines.join('\n');
  else {
    const parts: string[] = [];
    ranges.forEach(([s, e], i) => {
      if (i > 0 || s > 1) parts.push('⋮');
      parts.push(lines.slice(s - 1, e).join('\n'));
    });
    if (ranges.length > 0 && ranges[ranges.length - 1][1] < lines.length) parts.push('⋮');
    body = parts.join('\n');
  }
  body = neutralizeSpecialTokens(body).replace(/\n+$/, '');
  const fence = fenceFor(body);
  const header = ranges ? `### ${displayPath} (lines ${formatRanges(ranges)})` : `### ${displayPath}`;
  return `${header}\n${fence}${LANG[ext] ?? ''}\n${body}\n${fence}\n\n`;
}

export function renderMapItem(map: string): string {
  return `### Repository map (paths and top-level symbols)\n${neutralizeSpecialTokens(map).replace(/\n+$/, '')}\n\n`;
}

/** The prompt text of packed items, in order: their texts concatenated. */
export function renderContext(items: ReadonlyArray<{ text: string }>): string {
  return items.map((i) => i.text).join('');
}
