import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Loaded before every unit test file (.mocharc.json): the tests, and every CLI they spawn, get a
 * home, config, cache and data folder of their own, so nothing writes into the user's real
 * ~/.config/ponder ledger or caches. After the run, a check fails the run if anything of
 * Ponder's under the real home changed anyway.
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

/** Where Ponder keeps anything under a home folder, on any platform. */
export function ponderPlaces(home: string): string[] {
  return [
    path.join(home, '.config', 'ponder'),
    path.join(home, '.cache', 'ponder'),
    path.join(home, '.local', 'share', 'ponder'),
    path.join(home, 'Library', 'Application Support', 'ponder'),
    path.join(home, 'Library', 'Caches', 'ponder'),
    path.join(home, 'AppData', 'Roaming', 'ponder'),
    path.join(home, 'AppData', 'Local', 'ponder'),
  ];
}

/** Every file under Ponder's places in `home`, with size and modification time; plus home entries named like Ponder. */
export function snapshot(home: string): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    let st: fs.Stats;
    try { st = fs.lstatSync(p); } catch { return; }
    out.push(`${p} ${st.size} ${st.mtimeMs}`);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  for (const place of ponderPlaces(home)) walk(place);
  try { for (const name of fs.readdirSync(home)) if (/ponder/i.test(name)) out.push(`${path.join(home, name)} (entry)`); } catch { /* no home */ }
  return out.sort();
}

const before = snapshot(realHome);

export const mochaHooks = {
  afterAll(): void {
    const after = snapshot(realHome);
    const changed = [...after.filter((l) => !before.includes(l)), ...before.filter((l) => !after.includes(l)).map((l) => `gone: ${l}`)];
    fs.rmSync(fakeHome, { recursive: true, force: true });
    if (changed.length) throw new Error(`The unit tests wrote under the real home ${realHome}:\n  ${changed.join('\n  ')}`);
  },
};

export const testHome = fakeHome;
