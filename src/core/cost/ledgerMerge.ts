import * as fs from 'node:fs';
import { Ledger } from './ledger';
import type { Logger } from '../log';

/**
 * Earlier versions of the extension kept their own ledger in VS Code's global storage, so
 * `ponder costs` never saw the editor's spend. Once, its requests are appended to the shared
 * ledger (those already there are skipped) and the old file is renamed `*.merged`.
 * Returns how many requests moved.
 */
export async function mergeOldLedger(oldFile: string, shared: Ledger, log: Logger): Promise<number> {
  if (oldFile === shared.file || !fs.existsSync(oldFile)) return 0;
  const old = await new Ledger(oldFile, log).read();
  const have = new Set((await shared.read()).map((e) => e.id));
  let moved = 0;
  for (const e of old) {
    if (have.has(e.id)) continue;
    await shared.append(e);
    moved++;
  }
  fs.renameSync(oldFile, `${oldFile}.merged`);
  if (moved) log.info(`Ponder spend: moved ${moved} request${moved === 1 ? '' : 's'} from ${oldFile} into the shared ledger ${shared.file}.`);
  return moved;
}
