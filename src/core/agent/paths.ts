import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Where the CLI keeps agent checkpoints: `$PONDER_STATE_DIR/checkpoints` when set, else the
 * platform's per-user state folder (`$XDG_STATE_HOME/ponder` or `~/.local/state/ponder` on Linux,
 * `~/Library/Application Support/ponder` on macOS, `%LOCALAPPDATA%\ponder` on Windows). The
 * extension passes its own storage folder instead.
 */
export function defaultCheckpointDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (env.PONDER_STATE_DIR) return path.join(env.PONDER_STATE_DIR, 'checkpoints');
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local'), 'ponder', 'checkpoints');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'ponder', 'checkpoints');
  return path.posix.join(env.XDG_STATE_HOME || path.posix.join(home, '.local', 'state'), 'ponder', 'checkpoints');
}
