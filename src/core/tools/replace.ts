/**
 * Exact text replacements as models send them (propose_edit, the agent's edit_file): each
 * old_text must occur exactly once; line endings are matched as \n and written back as the
 * file's own; read_file's inert special-token marker is undone.
 */
export interface Replacement { old_text: string; new_text: string }

function countOccurrences(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i !== -1; i = hay.indexOf(needle, i + needle.length)) n++;
  return n;
}

export function applyReplacements(before: string, edits: readonly Replacement[], rel: string): { ok: true; after: string } | { ok: false; error: string } {
  const crlf = before.includes('\r\n');
  let after = crlf ? before.replace(/\r\n/g, '\n') : before;
  for (const [i, e] of edits.entries()) {
    // read_file output makes special-token text inert with a zero-width space; undo that here.
    const oldText = e.old_text.replace(/\r\n/g, '\n').replace(/<\u200b\|/g, '<|');
    const n = countOccurrences(after, oldText);
    if (n === 0) return { ok: false, error: `edits[${i}].old_text was not found in ${rel}; read the file and copy the exact text (whitespace included)` };
    if (n > 1) return { ok: false, error: `edits[${i}].old_text occurs ${n} times in ${rel}; include more surrounding lines so it is unique` };
    after = after.replace(oldText, () => e.new_text.replace(/\r\n/g, '\n'));
  }
  if (crlf) after = after.replace(/\n/g, '\r\n');
  return { ok: true, after };
}
