import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The CLI's per-user state folder (never inside a repository): `$PONDER_STATE_DIR` when set, else
 * the platform's (`$XDG_STATE_HOME/ponder` or `~/.local/state/ponder` on Linux,
 * `~/Library/Application Support/ponder` on macOS, `%LOCALAPPDATA%\ponder` on Windows).
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (env.PONDER_STATE_DIR) return env.PONDER_STATE_DIR;
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local'), 'ponder');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'ponder');
  return path.posix.join(env.XDG_STATE_HOME || path.posix.join(home, '.local', 'state'), 'ponder');
}

/** Where the CLI keeps agent checkpoints: `checkpoints` in the state folder. The extension passes its own storage folder instead. */
export function defaultCheckpointDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  const dir = defaultStateDir(env, platform, home);
  return platform === 'win32' ? path.win32.join(dir, 'checkpoints') : env.PONDER_STATE_DIR ? path.join(dir, 'checkpoints') : path.posix.join(dir, 'checkpoints');
}
