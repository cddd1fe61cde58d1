/**
 * A light structural parser for brace languages (TS/JS and kin): splits a file into top-level
 * blocks (functions, classes, statements) with 1-based inclusive line ranges, and big blocks
 * into their members. Leading comments and decorators stay with the block they describe.
 * It tracks strings, template literals and comments well enough to keep brace depth right on
 * ordinary code; it is not a full parser (regex literals with braces can confuse it, and then
 * the worst case is a coarser block).
 */
export interface Block {
  start: number;
  end: number;
  name?: string;
  depth: number;
  children?: Block[];
}

/** Brace depth at the start of each line (index 0 = line 1), plus one entry for the end. */
export function depthsByLine(text: string): number[] {
  const depths: number[] = [0];
  let depth = 0;
  let i = 0;
  const n = text.length;
  let mode: 0 | 1 | 2 | 3 | 4 | 5 = 0; // 0 code, 1 'str', 2 "str", 3 `tpl`, 4 line comment, 5 block comment
  const tplStack: number[] = []; // depth at which a ${ in a template was opened
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (mode === 4 || mode === 1 || mode === 2) mode = 0;
      depths.push(Math.max(0, depth));
      i++;
      continue;
    }
    switch (mode) {
      case 0:
        if (c === 47 /* / */) {
          const d = text.charCodeAt(i + 1);
          if (d === 47) { mode = 4; i += 2; continue; }
          if (d === 42) { mode = 5; i += 2; continue; }
        } else if (c === 39) mode = 1;
        else if (c === 34) mode = 2;
        else if (c === 96) mode = 3;
        else if (c === 123 /* { */ || c === 40 /* ( */ || c === 91 /* [ */) depth++;
        else if (c === 125 || c === 41 || c === 93) {
          if (c === 125 && tplStack.length > 0 && tplStack[tplStack.length - 1] === depth) {
            tplStack.pop();
            mode = 3;
          }
          depth--;
        }
        break;
      case 1:
      case 2:
        if (c === 92) { i += 2; continue; }
        if ((mode === 1 && c === 39) || (mode === 2 && c === 34)) mode = 0;
        break;
      case 3:
        if (c === 92) { i += 2; continue; }
        if (c === 96) mode = 0;
        else if (c === 36 && text.charCodeAt(i + 1) === 123) {
          depth++;
          tplStack.push(depth);
          mode = 0;
          i += 2;
          continue;
        }
        break;
      case 5:
        if (c === 42 && text.charCodeAt(i + 1) === 47) { mode = 0; i += 2; continue; }
        break;
      default:
        break;
    }
    i++;
  }
  depths.push(Math.max(0, depth));
  return depths;
}

const DECL = /^\s*(?:export\s+)?(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\s*\*?|class|interface|type|enum|const|let|var|namespace|module)\s+([A-Za-z_$][\w$]*)/;
const MEMBER = /^\s*(?:(?:public|private|protected|static|readonly|override|abstract|declare|async|get|set|#)\s*)*\*?\s*(#?[A-Za-z_$][\w$]*)\s*[(<:=?!]/;
const CALL_BLOCK = /^\s*(?:describe|it|test|suite)(?:\.\w+)?\s*\(\s*(['"`])(.{1,80}?)\1/;
const CONTINUES = /^\s*(?:\.|\?\.|&|\||\?|:|\+|-(?!-)|\*|\/(?![/*])|=>|>|,|\)|\]|\}|else\b|catch\b|finally\b|extends\b|implements\b)/;
/** A line ending like this is continued by the next (no-semicolon styles, multi-line generics). */
const OPEN_END = /(?:[=&|<,(?:+]|=>|\bextends|\bkeyof)\s*$/;

function nameOf(line: string): string | undefined {
  return DECL.exec(line)?.[1] ?? CALL_BLOCK.exec(line)?.[2] ?? undefined;
}

/**
 * Splits lines [from, to] (1-based, inclusive) whose start depth is `base` into blocks: a block
 * ends where depth returns to `base` at a line end and the next line does not continue it.
 */
function split(lines: string[], depths: number[], from: number, to: number, base: number): Block[] {
  const blocks: Block[] = [];
  let start = -1;
  let leading = -1; // first line of comments/decorators before a block
  for (let ln = from; ln <= to; ln++) {
    const line = lines[ln - 1];
    const blank = line.trim() === '';
    const dStart = depths[ln - 1];
    const dEnd = depths[ln];
    if (start === -1) {
      if (blank || dStart !== base) continue;
      const t = line.trimStart();
      if ((t.startsWith('//') || t.startsWith('/*') || t.startsWith('*') || t.startsWith('@')) && dEnd === base) {
        if (leading === -1) leading = ln;
        continue;
      }
      start = leading !== -1 ? leading : ln;
      leading = -1;
    }
    const tl = line.trimStart();
    if (ln !== start && (tl.startsWith('//') || tl.startsWith('*') || tl.startsWith('/*'))) continue; // comments inside a declaration
    if (dEnd <= base) {
      const next = lines[ln];
      if (next !== undefined && ln < to && next.trim() !== '' && (CONTINUES.test(next) || OPEN_END.test(line.replace(/\/\/.*$/, '')))) continue;
      const first = lines.slice(start - 1, ln).find((l) => {
        const t = l.trimStart();
        return t && !t.startsWith('//') && !t.startsWith('*') && !t.startsWith('/*') && !t.startsWith('@');
      }) ?? '';
      blocks.push({ start, end: ln, name: nameOf(first) ?? (base > 0 ? MEMBER.exec(first)?.[1] : undefined), depth: base });
      start = -1;
    }
  }
  if (start !== -1) blocks.push({ start, end: to, depth: base });
  else if (leading !== -1) blocks.push({ start: leading, end: to, depth: base });
  return blocks;
}

/** Members of a block: they start at the shallowest non-zero depth inside it (class body: 1; describe(() => {: 2). */
function splitInner(lines: string[], depths: number[], b: Block): Block[] {
  let base = Infinity;
  for (let ln = b.start + 1; ln < b.end; ln++) {
    const d = depths[ln - 1];
    if (d > b.depth && d < base && lines[ln - 1].trim() !== '') base = d;
  }
  if (!Number.isFinite(base)) return [];
  let from = b.start + 1;
  while (from < b.end && depths[from - 1] !== base) from++;
  return split(lines, depths, from, b.end - 1, base).filter((c) => c.end - c.start < b.end - b.start - 1);
}

/** Top-level blocks; blocks longer than `splitOver` lines get their members as children. */
export function parseBlocks(text: string, splitOver = 60): Block[] {
  const lines = text.split('\n');
  const depths = depthsByLine(text);
  const top = split(lines, depths, 1, lines.length, 0);
  for (const b of top) {
    if (b.end - b.start + 1 <= splitOver) continue;
    const inner = splitInner(lines, depths, b);
    if (inner.length > 1) {
      for (const c of inner) {
        if (c.end - c.start + 1 > splitOver * 2) {
          const deeper = splitInner(lines, depths, c);
          if (deeper.length > 1) c.children = deeper;
        }
      }
      b.children = inner;
    }
  }
  return top;
}

/** The smallest block (member or top-level) containing lines [s, e], or undefined. */
export function enclosingBlock(blocks: Block[], s: number, e: number): Block | undefined {
  for (const b of blocks) {
    if (b.start <= s && b.end >= e) {
      return (b.children && enclosingBlock(b.children, s, e)) ?? b;
    }
  }
  return undefined;
}

/** Leaf blocks in order: members of split blocks, top-level blocks otherwise. */
export function leafBlocks(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    if (b.children && b.children.length > 0) {
      // Keep the head and tail of a split block (class line, closing brace) as their own pieces.
      const first = b.children[0].start;
      if (first > b.start) out.push({ start: b.start, end: first - 1, name: b.name, depth: b.depth });
      out.push(...leafBlocks(b.children));
      const last = b.children[b.children.length - 1].end;
      if (last < b.end) out.push({ start: last + 1, end: b.end, name: b.name, depth: b.depth });
    } else out.push(b);
  }
  return out;
}

/** Names of top-level declarations with their first line, for the repository map and definitions. */
export function topLevelSymbols(text: string): Array<{ name: string; line: number; exported: boolean }> {
  const out: Array<{ name: string; line: number; exported: boolean }> = [];
  const re = /^(export\s+)?(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\s*\*?|class|interface|type|enum|const|let|var|namespace)\s+([A-Za-z_$][\w$]*)/gm;
  let m: RegExpExecArray | null;
  let line = 1;
  let at = 0;
  while ((m = re.exec(text))) {
    for (; at < m.index; at++) if (text.charCodeAt(at) === 10) line++;
    out.push({ name: m[2], line, exported: !!m[1] });
  }
  return out;
}

/**
 * The pieces an excerpt is made of: leaf blocks, long ones cut into windows of `maxLines`,
 * clamped to the file's lines (a trailing newline adds no line). Flattened [start, end, ...].
 */
export function excerptBlocks(text: string, maxLines = 120): number[] {
  let lineCount = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCount++;
  if (lineCount > 1 && text.endsWith('\n')) lineCount--;
  const out: number[] = [];
  for (const b of leafBlocks(parseBlocks(text))) {
    const end = Math.min(b.end, lineCount);
    for (let s = b.start; s <= end; s += maxLines) out.push(s, Math.min(end, s + maxLines - 1));
  }
  if (out.length === 0) out.push(1, Math.max(1, lineCount));
  return out;
}
