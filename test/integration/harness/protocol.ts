// What the runner and the extension-host side (harness and lib) exchange. The runner validates
// the same shapes on its side (../rpc.mjs); keep the two in step.
import * as fs from 'node:fs';
import { z } from 'zod';

/** Environment variable naming the JSON file that configures one code-server launch (one group). */
export const CONFIG_ENV = 'PONDER_IT_CONFIG';

/** Set by the harness in the extension host: its own log folder, whose siblings are other extensions'. */
export const HARNESS_LOG_DIR_ENV = 'PONDER_IT_HARNESS_LOG_DIR';

export const HarnessConfig = z.object({
  rpcUrl: z.string().url(),
  /** Which route started this VS Code: the harness runs the suites on activation only under code-server. */
  launcher: z.enum(['code-server', 'electron']),
  group: z.string(),
  /** Suite bundles, relative to the harness extension folder. */
  files: z.array(z.string()),
  grep: z.string().optional(),
  mochaPath: z.string(),
  timeoutMs: z.number().int().positive(),
  forbidOnly: z.boolean(),
  repoRoot: z.string(),
  workspacePath: z.string(),
  userDataDir: z.string(),
  resultsDir: z.string(),
  /** Which window load this is (0-based): a setup's `loads` reloads the window between runs. */
  load: z.number().int().nonnegative().default(0),
});
export type HarnessConfig = z.infer<typeof HarnessConfig>;

const RpcReply = z.union([z.object({ ok: z.literal(true), result: z.unknown() }), z.object({ ok: z.literal(false), error: z.string() })]);

/** One call to the runner. Throws with the runner's message when the call fails there. */
export async function rpcCall(rpcUrl: string, method: string, params: unknown): Promise<unknown> {
  const res = await fetch(`${rpcUrl}/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params ?? {}) });
  const reply = RpcReply.parse(await res.json());
  if (!reply.ok) throw new Error(`${method}: ${reply.error}`);
  return reply.result;
}

/** Reads the config of the current launch; suites call this through lib.ts. */
export function readConfig(): HarnessConfig {
  const file = process.env[CONFIG_ENV];
  if (!file) throw new Error(`${CONFIG_ENV} is not set: integration suites run only under \`npm run test:integration\`.`);
  return HarnessConfig.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}
