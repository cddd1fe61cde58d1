import * as os from 'node:os';
import * as path from 'node:path';
import { userConfigDir } from '../userFiles';

/**
 * The one spend ledger, written by every VS Code window and the CLI alike: `$PONDER_LEDGER`, else
 * `ledger.jsonl` in the platform's config folder (`$XDG_CONFIG_HOME/ponder` or `~/.config/ponder`
 * on Linux, `~/Library/Application Support/ponder` on macOS, `%APPDATA%\ponder` on Windows).
 */
export function defaultLedgerPath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (env.PONDER_LEDGER) return env.PONDER_LEDGER;
  const dir = userConfigDir(env, platform, home);
  return platform === 'win32' ? path.win32.join(dir, LEDGER_FILE_NAME) : path.posix.join(dir, LEDGER_FILE_NAME);
}

/** The ledger's file name (also of the extension's older ledger in its global storage, merged once). */
export const LEDGER_FILE_NAME = 'ledger.jsonl';
