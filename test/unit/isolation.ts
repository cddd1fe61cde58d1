import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Loaded before every unit test file (.mocharc.json): the tests, and every CLI they spawn, get a
 * home, config, cache and data folder of their own, so nothing writes into the user's real
 * ~/.config/ponder ledger or caches. A guard (homeGuard.cjs, in this process and, through
 * NODE_OPTIONS, in every Node process a test spawns) refuses any write under Ponder's places in
 * the real home and records it; the root hook then fails the run, naming each path.
 */
const realHome = os.homedir();
const fakeHome = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-test-home-')));

const vars: Record<string, string> = {
  HOME: fakeHome,
  USERPROFILE: fakeHome,
  XDG_CONFIG_HOME: path.join(fakeHome, '.config'),
  XDG_CACHE_HOME: path.join(fakeHome, '.cache'),
  XDG_DATA_HOME: path.join(fakeHome, '.local', 'share'),
  XDG_STATE_HOME: path.join(fakeHome, '.local', 'state'),
  APPDATA: path.join(fakeHome, 'AppData', 'Roaming'),
  LOCALAPPDATA: path.join(fakeHome, 'AppData', 'Local'),
};
Object.assign(process.env, vars);
delete process.env.PONDER_LEDGER;

// The guard: this process and every Node process the tests spawn refuse (and record) a write under
// Ponder's places in the real home.
const writesRecord = path.join(fakeHome, 'real-home-writes.log');
process.env.PONDER_TEST_REAL_HOME = realHome;
process.env.PONDER_TEST_HOME_WRITES = writesRecord;
const guardFile = path.join(__dirname, 'homeGuard.cjs');
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(guardFile)}`.trim();
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(guardFile);

export const mochaHooks = {
  afterAll(): void {
    let writes = '';
    try { writes = fs.readFileSync(writesRecord, 'utf8'); } catch { /* none */ }
    fs.rmSync(fakeHome, { recursive: true, force: true });
    if (writes) throw new Error(`The unit tests tried to write under the real home ${realHome}:\n  ${writes.trim().split('\n').join('\n  ')}`);
  },
};

export const testHome = fakeHome;
