import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileLines, parseLineRange, selectionProblem } from '../core/run/selection';
import { UsageError } from './command';

/**
 * `--file PATH [--selection START:END]`, shared by `ponder ask` and `ponder context`: the file
 * must exist under the root, and the lines must be inside it. Every problem is a UsageError
 * (exit 2) that names the file and, for a range outside it, its line count.
 */
export function selectionFromFlags(root: string, file: string | undefined, selection: string | undefined): { activeFile?: string; selection?: [number, number] } {
  if (selection !== undefined && !file) throw new UsageError('--selection needs --file (the lines are in that file)');
  if (!file) return {};
  const abs = path.resolve(root, file);
  let text: string;
  try {
    if (!fs.statSync(abs).isFile()) throw new UsageError(`--file "${file}" is not a file under --root ${root}`);
    text = fs.readFileSync(abs, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`--file "${file}" does not exist under --root ${root}`);
  }
  if (selection === undefined) return { activeFile: abs };
  let range: [number, number];
  try {
    range = parseLineRange(selection);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const problem = selectionProblem(file, fileLines(text).length, range);
  if (problem) throw new UsageError(`--selection ${selection}: ${problem}`);
  return { activeFile: abs, selection: range };
}
