// Loaded into the unit test process and, through NODE_OPTIONS, into every Node process a test
// spawns (isolation.ts). Any attempt to write, create or rename a file under Ponder's places in
// the user's real home is refused and written down; the run's root hook fails on the record.
// Attributable to this run only (other users of a shared machine may write there meanwhile).
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS, preloaded with --require */
const fs = require('node:fs');
const path = require('node:path');

const home = process.env.PONDER_TEST_REAL_HOME;
const record = process.env.PONDER_TEST_HOME_WRITES;
if (home && record && !fs.__ponderHomeGuard) {
  fs.__ponderHomeGuard = true;
  const places = [
    ['.config', 'ponder'], ['.cache', 'ponder'], ['.local', 'share', 'ponder'], ['.local', 'state', 'ponder'],
    ['Library', 'Application Support', 'ponder'], ['Library', 'Caches', 'ponder'],
    ['AppData', 'Roaming', 'ponder'], ['AppData', 'Local', 'ponder'],
  ].map((p) => path.join(home, ...p));
  const isReal = (p) => {
    if (typeof p !== 'string' && !(p instanceof URL) && !Buffer.isBuffer(p)) return false;
    const abs = path.resolve(String(p instanceof URL ? p.pathname : p));
    return places.some((pl) => abs === pl || abs.startsWith(pl + path.sep));
  };
  const writes = (flags) => flags !== undefined && (typeof flags === 'number' ? (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND)) !== 0 : /[wa+]/.test(String(flags)));
  const refuse = (what, p) => {
    const line = `${what} ${path.resolve(String(p))} (pid ${process.pid})\n`;
    try { fs.appendFileSync(record, line); } catch { /* the record is best effort */ }
    const err = new Error(`A test tried to ${what} under the real home: ${p}`);
    err.code = 'EACCES';
    return err;
  };
  const guard = (obj, name, test) => {
    const orig = obj[name];
    if (typeof orig !== 'function') return;
    obj[name] = function (...args) {
      if (test(...args)) {
        const err = refuse(name, args[0]);
        if (typeof args[args.length - 1] === 'function' && !name.endsWith('Sync') && obj === fs) return void process.nextTick(args[args.length - 1], err);
        if (obj === fs.promises) return Promise.reject(err);
        throw err;
      }
      return orig.apply(this, args);
    };
  };
  const always = (p) => isReal(p);
  const both = (a, b) => isReal(a) || isReal(b);
  for (const n of ['writeFileSync', 'appendFileSync', 'mkdirSync', 'mkdtempSync', 'createWriteStream', 'writeFile', 'appendFile', 'mkdir', 'mkdtemp', 'copyFileSync', 'copyFile', 'symlinkSync', 'symlink', 'truncateSync', 'truncate', 'unlinkSync', 'unlink', 'rmSync', 'rm', 'utimesSync', 'chmodSync']) guard(fs, n, always);
  for (const n of ['renameSync', 'rename', 'linkSync', 'link']) guard(fs, n, both);
  for (const n of ['openSync', 'open']) guard(fs, n, (p, flags) => isReal(p) && writes(flags));
  for (const n of ['writeFile', 'appendFile', 'mkdir', 'mkdtemp', 'copyFile', 'symlink', 'truncate', 'unlink', 'rm', 'utimes', 'chmod']) guard(fs.promises, n, always);
  guard(fs.promises, 'rename', both);
  guard(fs.promises, 'open', (p, flags) => isReal(p) && writes(flags));
}
