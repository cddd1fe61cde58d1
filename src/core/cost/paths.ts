import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where the CLI keeps its ledger: `$PONDER_LEDGER`, else the platform's config folder
 * (`$XDG_CONFIG_HOME/ponder` or `~/.config/ponder` on Linux, `~/Library/Application Support/ponder`
 * on macOS, `%APPDATA%\ponder` on Windows). The extension keeps its own in its global storage;
 * pass `--ledger` (or set PONDER_LEDGER) to point the CLI at that one.
 */
export function defaultLedgerPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (env.PONDER_LEDGER) return env.PONDER_LEDGER;
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'ponder', 'ledger.jsonl');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'ponder', 'ledger.jsonl');
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), 'ponder', 'ledger.jsonl');
}

/** The extension's ledger file inside its global storage folder. */
export const LEDGER_FILE_NAME = 'ledger.jsonl';
