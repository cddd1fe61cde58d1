import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { startWireServer, type WireServer } from '../../fixtures/wire';

export interface BuiltCli { tmp: string; cli: string; wire: WireServer }

/**
 * Mocha hooks for a suite that spawns the CLI: bundled as esbuild.mjs bundles it, into a temp
 * folder removed afterwards, and a wire fixture server standing in for the model endpoint.
 * The returned object is filled in by `before`.
 */
export function builtCli(prefix: string): BuiltCli {
  const h = {} as BuiltCli;
  before(async () => {
    h.tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    h.cli = path.join(h.tmp, 'cli.js');
    await esbuild.build({ entryPoints: ['src/cli/main.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: h.cli, logLevel: 'silent' });
    h.wire = await startWireServer();
  });
  after(async () => { await h.wire?.close(); if (h.tmp) fs.rmSync(h.tmp, { recursive: true, force: true }); });
  return h;
}
