/* eslint-disable no-control-regex -- this file exists to find control characters */
/**
 * Text from a model, a repository or a server is printed to terminals; inside it, control
 * sequences could clear the screen, move the cursor, retitle the window, write the clipboard or
 * hide a link, and so repaint what the user reads (an approval prompt showing `npm test` while
 * another command runs). Here such characters are made visible as escapes (`\x1b`, `\x9b`,
 * `\u202e`) instead of acting.
 */

/**
 * C0 controls except tab and newline, ESC, DEL and C1 controls (CR only where it ends a CRLF),
 * and the bidi overrides and isolates that make a terminal show text in another order.
 */
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;
/** Also escaped in a quoted line: zero-width and direction marks (legitimate in prose, not in a command). */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** The only sequences Ponder itself prints: bold, dim and back to normal. */
const OWN_STYLES = /^\x1b\[(?:1|2|22)m/;

function hex(c: string): string {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character (newline and tab aside) shown as an escape. */
export function visibleControls(text: string): string {
  return text.replace(CONTROLS, hex);
}

/**
 * The last guard before bytes reach a terminal: like visibleControls, but Ponder's own bold and
 * dim sequences pass (they cannot move anything or hide text). Values from outside are escaped
 * with visibleControls where they are put into a line, so this only catches what was missed.
 */
export function terminalSafe(text: string): string {
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\x1b') {
      const own = OWN_STYLES.exec(text.slice(i, i + 5));
      if (own) { out += own[0]; i += own[0].length - 1; continue; }
    }
    out += visibleControls(c === '\r' && text[i + 1] === '\n' ? '\r\n' : c);
    if (c === '\r' && text[i + 1] === '\n') i++;
  }
  return out;
}

/**
 * One line that shows exactly the characters of `text`: line breaks as `\n`, controls and
 * invisible characters escaped, backslashes doubled, in double quotes. For what a user approves.
 */
export function quotedLine(text: string): string {
  const body = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r')
    .replace(CONTROLS, hex)
    .replace(INVISIBLE, hex);
  return `"${body}"`;
}

/** True when `text` has characters that quotedLine shows escaped (so the UI can say so). */
export function hasHiddenCharacters(text: string): boolean {
  return /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(text) || new RegExp(INVISIBLE.source).test(text);
}

/** JSON for a JSONL line: JSON.stringify leaves DEL, C1 and U+2028/9 raw; they are escaped too. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
