import path from 'node:path';
import { parseBlocks, type Block } from '../context/blocks';
import { neutralizeSpecialTokens } from '../context/render';
import type { EditorReader } from '../editor/port';

/**
 * What the request is about in the active file, told to the model as such: the file, the
 * 1-based lines and the text itself, quoted verbatim whatever the packer did with the rest of
 * the file. With a selection, the selected lines; with only a cursor, the cursor line and the
 * symbol around it (the context engine's block parser finds it).
 */
export interface Focus {
  /** Shown to the model and in the history: relative to its workspace root, posix separators. */
  path: string;
  /** 1-based inclusive lines quoted. */
  lines: [number, number];
  kind: 'selection' | 'cursor';
  /** The cursor's line (kind 'cursor'). */
  cursor?: number;
  /** The enclosing symbol's name, when the parser found one (kind 'cursor'). */
  symbol?: string;
  /** The quoted lines, exactly as in the file (joined with '\n'). */
  text: string;
  /** Lines in the file (a trailing newline adds none). */
  fileLines: number;
}

/** A cursor's enclosing block longer than this is quoted as a window around the cursor. */
const MAX_CURSOR_LINES = 80;
/** Lines either side of a cursor that sits in no block. */
const CURSOR_MARGIN = 5;

/** The file's lines as an editor numbers them: a trailing newline ends the last line, it does not start one. */
export function fileLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * "20:24" (or "20" for one line) → [20, 24], 1-based inclusive. The one parser of a line range
 * for every CLI command; the message names what was given and the expected form.
 */
export function parseLineRange(text: string, flag = '--selection'): [number, number] {
  const m = /^\s*(\d+)\s*(?:[:-]\s*(\d+))?\s*$/.exec(text);
  const start = m ? Number(m[1]) : NaN;
  const end = m?.[2] !== undefined ? Number(m[2]) : start;
  if (!m) throw new RangeError(`${flag} "${text}" is not a line range: use START:END, 1-based lines, e.g. ${flag} 10:40`);
  if (start < 1) throw new RangeError(`${flag} "${text}": lines start at 1`);
  if (end < start) throw new RangeError(`${flag} "${text}": START (${start}) is after END (${end})`);
  return [start, end];
}

/** Why `range` cannot be a selection in a file of `lineCount` lines, naming both; undefined when it can. */
export function selectionProblem(displayPath: string, lineCount: number, range: readonly [number, number]): string | undefined {
  const [s, e] = range;
  if (!Number.isInteger(s) || !Number.isInteger(e) || s < 1 || e < s) return `the selection ${s}:${e} in ${displayPath} is not a line range (START:END, 1-based, START <= END)`;
  if (e > lineCount) {
    const of = `${displayPath} has ${lineCount} line${lineCount === 1 ? '' : 's'}`;
    return s > lineCount ? `lines ${s}-${e} are outside ${displayPath}: ${of}` : `lines ${s}-${e} run past the end of ${displayPath}: ${of}`;
  }
  return undefined;
}

/** The error a caller gets for a selection outside its file (a usage error in the CLI). */
export class SelectionError extends Error {
  override readonly name = 'SelectionError';
}

/** Relative to the root that holds it (prefixed with the root's name when there are several). */
export function displayPathOf(port: EditorReader, file: string): string {
  const roots = port.roots();
  const abs = path.isAbsolute(file) ? file : path.join(roots[0]?.path ?? '', file);
  for (const r of roots) {
    const rel = path.relative(r.path, abs);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
      const posix = rel.split(path.sep).join('/');
      return roots.length > 1 ? `${r.name}/${posix}` : posix;
    }
  }
  return abs.split(path.sep).join('/');
}

/**
 * The focus of a request from the file's text. Throws SelectionError when the selection is not
 * inside the file; returns undefined when there is neither a selection nor a cursor.
 */
export function focusFromText(displayPath: string, text: string, selection?: readonly [number, number], cursor?: number): Focus | undefined {
  const lines = fileLines(text);
  const n = lines.length;
  const quote = (s: number, e: number) => lines.slice(s - 1, e).join('\n');
  if (selection) {
    const problem = selectionProblem(displayPath, n, selection);
    if (problem) throw new SelectionError(problem);
    const [s, e] = selection;
    return { path: displayPath, lines: [s, e], kind: 'selection', text: quote(s, e), fileLines: n };
  }
  if (cursor === undefined) return undefined;
  if (!Number.isInteger(cursor) || cursor < 1 || cursor > n) throw new SelectionError(selectionProblem(displayPath, n, [cursor, cursor]) ?? `the cursor line ${cursor} is outside ${displayPath}`);
  const block = enclosingSymbol(lines, cursor);
  let s: number;
  let e: number;
  if (block) {
    s = block.start;
    e = Math.min(block.end, n);
    if (e - s + 1 > MAX_CURSOR_LINES) {
      s = Math.max(s, cursor - MAX_CURSOR_LINES / 2);
      e = Math.min(e, s + MAX_CURSOR_LINES - 1);
    }
  } else {
    s = Math.max(1, cursor - CURSOR_MARGIN);
    e = Math.min(n, cursor + CURSOR_MARGIN);
  }
  return { path: displayPath, lines: [s, e], kind: 'cursor', cursor, ...(block?.name ? { symbol: block.name } : {}), text: quote(s, e), fileLines: n };
}

/** Blocks whose members are symbols of their own (a method, not a statement of a function body). */
const CONTAINER = /\b(?:class|interface|namespace|module|enum|describe|suite)\b/;

/**
 * The symbol around a line: the top-level declaration, or the member of a class (interface,
 * namespace, describe block) holding it; statements inside a function stay with the function.
 */
export function enclosingSymbol(lines: readonly string[], line: number): Block | undefined {
  let level = parseBlocks(lines.join('\n'), 12);
  let found: Block | undefined;
  for (;;) {
    const b = level.find((x) => x.start <= line && x.end >= line);
    if (!b) return found;
    found = b;
    const head = lines.slice(b.start - 1, Math.min(b.end, b.start + 2)).join(' ').replace(/\/\/.*$|\/\*.*?\*\//g, '');
    if (!b.children?.length || !CONTAINER.test(head)) return found;
    level = b.children;
  }
}

/** Reads the active file through the port and builds its focus (see focusFromText). */
export async function resolveFocus(port: EditorReader, activeFile: string | undefined, selection?: readonly [number, number], cursor?: number): Promise<Focus | undefined> {
  if (!activeFile || (!selection && cursor === undefined)) return undefined;
  const display = displayPathOf(port, activeFile);
  const abs = path.isAbsolute(activeFile) ? activeFile : path.join(port.roots()[0]?.path ?? '', activeFile);
  const text = await port.readFile(abs);
  if (text === undefined) throw new SelectionError(`${display} could not be read, so its selected lines cannot be sent`);
  return focusFromText(display, text, selection, cursor);
}

/** "lines 20-24" / "line 7". */
export function linesLabel([s, e]: readonly [number, number]): string {
  return s === e ? `line ${s}` : `lines ${s}-${e}`;
}

/** One line naming the focus, as the request states it (and the history shows it). */
export function focusHeadline(f: Focus): string {
  if (f.kind === 'selection') return `The user selected ${linesLabel(f.lines)} of ${f.path} (${f.fileLines} lines in the file).`;
  const where = f.symbol ? `inside \`${f.symbol}\` (${linesLabel(f.lines)})` : `(${linesLabel(f.lines)} shown around it)`;
  return `Nothing is selected; the cursor is on line ${f.cursor} of ${f.path}, ${where}.`;
}

const LANG: Record<string, string> = { ts: 'ts', tsx: 'tsx', mts: 'ts', cts: 'ts', js: 'js', jsx: 'jsx', mjs: 'js', cjs: 'js', json: 'json', md: 'md', py: 'python', go: 'go', rs: 'rust', java: 'java', cs: 'csharp', c: 'c', h: 'c', cpp: 'cpp', rb: 'ruby', sh: 'sh', yml: 'yaml', yaml: 'yaml', css: 'css', html: 'html' };

/**
 * The focus as a section of the data block: a header naming the file and lines, then the text
 * verbatim in a fence longer than any backtick run inside it. Special-token strings are made
 * inert as in every other packed item.
 */
export function renderFocus(f: Focus): string {
  const body = neutralizeSpecialTokens(f.text);
  let longest = 0;
  for (const m of body.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const ext = f.path.slice(f.path.lastIndexOf('.') + 1).toLowerCase();
  const title = f.kind === 'selection'
    ? `### Selection: ${f.path}, ${linesLabel(f.lines)} (the user's selection, verbatim)`
    : `### Cursor: ${f.path}, line ${f.cursor}${f.symbol ? ` in \`${f.symbol}\`` : ''} (${linesLabel(f.lines)}, verbatim)`;
  return [title, fence + (LANG[ext] ?? ''), body, fence].join('\n');
}
