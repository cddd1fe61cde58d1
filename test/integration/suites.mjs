// Finds the suites to run and groups them by their setup: one code-server launch per group.
// A suite `x.test.ts` may have a sibling `x.setup.json`; a `setup.json` in a folder applies to
// every suite in it (and below) that has none of its own.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const Setup = z
  .object({
    /** Folder under test/integration/workspaces copied fresh for the group; null: an empty window. */
    workspace: z.string().regex(/^[\w.-]+$/).nullable().default('sample'),
    /** `untrusted` turns workspace trust on and leaves the folder untrusted (Restricted Mode). */
    trust: z.enum(['trusted', 'untrusted']).default('trusted'),
    /** User settings for the group, on top of the runner's quiet defaults. */
    settings: z.record(z.string(), z.unknown()).default({}),
    /** Written to the workspace copy's .vscode/settings.json. */
    workspaceSettings: z.record(z.string(), z.unknown()).default({}),
    /** Extra environment for code-server and its extension host (e.g. a fixture server's URL). */
    env: z.record(z.string(), z.string()).default({}),
    /**
     * Its own code-server launch even when another group has the same settings: for suites that
     * must see a fresh profile or leave state (chat model choice, history) others must not see.
     */
    isolated: z.boolean().default(false),
    /**
     * More folders after `workspace` (names under test/integration/workspaces, each copied fresh,
     * a name twice is copied twice): the window opens a multi-root workspace of them all.
     */
    extraFolders: z.array(z.string().regex(/^[\w.-]+$/)).default([]),
    /**
     * Window loads: after the first, the runner reloads the workbench page, so a fresh extension
     * host on the same profile, workspace and workspace storage runs the group's suites again
     * (they read which load it is from `config().load`, 0-based).
     */
    loads: z.number().int().min(1).max(5).default(1),
    /** Minutes the whole group may take at most (tests also fail one by one on their own timeout). */
    timeoutMinutes: z.number().positive().max(60).default(25),
  })
  .strict();

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

function readSetup(file) {
  let raw;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err.message})`, { cause: err });
  }
  const parsed = Setup.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function setupFor(suiteFile, suitesRoot) {
  const own = suiteFile.replace(/\.test\.ts$/, '.setup.json');
  if (fs.existsSync(own)) return { setup: readSetup(own), source: own };
  for (let dir = path.dirname(suiteFile); dir.startsWith(suitesRoot); dir = path.dirname(dir)) {
    const shared = path.join(dir, 'setup.json');
    if (fs.existsSync(shared)) return { setup: readSetup(shared), source: shared };
    if (dir === suitesRoot) break;
  }
  return { setup: Setup.parse({}), source: undefined };
}

/** Suites whose path (relative to suitesRoot) contains any of `filters` (all when none). */
export function findSuites(suitesRoot, filters) {
  const all = walk(suitesRoot).filter((f) => f.endsWith('.test.ts')).sort();
  if (!filters.length) return all;
  return all.filter((f) => {
    const rel = path.relative(suitesRoot, f);
    return filters.some((flt) => rel.includes(flt) || path.resolve(flt) === f);
  });
}

/** [{ name, setup, files }]: suites with equal setups share a launch. */
export function groupSuites(suitesRoot, files) {
  const groups = new Map();
  for (const f of files) {
    const { setup, source } = setupFor(f, suitesRoot);
    // An isolated setup file gets a launch of its own, even if another file says the same.
    const key = setup.isolated ? `${source}|${JSON.stringify(setup)}` : JSON.stringify(setup);
    if (!groups.has(key)) {
      // foundation/setup.json -> "foundation"; chat-untrusted.setup.json -> "chat-untrusted".
      const base = source ? path.relative(suitesRoot, source).replace(/(\/?setup|\.setup)\.json$/, '').replace(/[^\w-]+/g, '-') : 'default';
      groups.set(key, { name: base || 'default', setup, files: [] });
    }
    groups.get(key).files.push(f);
  }
  // Distinct names, for folders and screenshots.
  const seen = new Map();
  for (const g of groups.values()) {
    const n = seen.get(g.name) ?? 0;
    seen.set(g.name, n + 1);
    if (n) g.name = `${g.name}-${n + 1}`;
  }
  return [...groups.values()];
}
