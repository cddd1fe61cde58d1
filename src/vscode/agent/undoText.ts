import type { UndoReport } from '../../core/agent/checkpoint';

/** What undo says. No `vscode` import: unit-tested. */

function list(paths: readonly string[], max = 5): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/** Undo would overwrite these; `canSkip`: other files can be undone while leaving these. */
export interface ConflictQuestion { message: string; detail: string; paths: string[]; canSkip: boolean }

/** The question when undo would overwrite changes the user made after the agent. */
export function conflictQuestion(edited: readonly string[], unsaved: ReadonlySet<string>, total: number): ConflictQuestion {
  const n = edited.length;
  const message = n === 1
    ? `You changed ${edited[0]} after the agent did. Undo Agent Changes would overwrite your changes.`
    : `You changed ${n} files after the agent did: ${list(edited)}. Undo Agent Changes would overwrite your changes.`;
  const unsavedNote = edited.some((p) => unsaved.has(p)) ? ` Unsaved changes in ${list(edited.filter((p) => unsaved.has(p)))} would be discarded.` : '';
  const others = total - n;
  const detail = `"Overwrite My Changes" puts ${n === 1 ? 'it' : 'them'} back as ${n === 1 ? 'it was' : 'they were'} before the task too.${unsavedNote}`
    + (others > 0 ? ` "Undo the Other Files Only" undoes the other ${others} file${others === 1 ? '' : 's'} and leaves ${n === 1 ? 'this one' : 'these'} as you have ${n === 1 ? 'it' : 'them'}.` : '');
  return { message, detail, paths: [...edited], canSkip: others > 0 };
}

/** One sentence on what undo did (restored, removed, left alone, failed). */
export function undoSummary(r: UndoReport, skipped: readonly string[] = []): string {
  const parts: string[] = [];
  if (r.restored.length) parts.push(`restored ${list(r.restored)}`);
  if (r.removed.length) parts.push(`removed ${list(r.removed)} (created by the agent)`);
  const left = [...new Set([...skipped, ...r.conflicts.map((c) => c.path)])];
  if (left.length) parts.push(`left ${list(left)} as you changed ${left.length === 1 ? 'it' : 'them'}`);
  if (r.failed.length) parts.push(`could not undo ${r.failed.map((f) => `${f.path} (${f.error})`).join(', ')}`);
  if (!parts.length) return 'every file already matched how it was before the task.';
  return `${parts.join('; ')}.`;
}
