import path from 'node:path';
import type { FileEntry, WorkspaceIndex } from './workspaceIndex';
import type { CandidateSet } from './signals';

/**
 * Questions about the whole repository ("summarize this repository", "how is this project
 * organized", "where is logging configured") are answered from the files that say what a
 * project is: its README, its manifests and its entry points, besides the repository map.
 * Without them the model sees only names.
 */
const BROAD = /\b(summar(y|ize|ise)|overview|describe|explain|walk ?through|tour|architecture|structure[ds]?|organi[sz](ed|ation)|layout|high[- ]level|what (is|does) (this|the) (repo|repository|project|codebase|package|library|app)|(this|the|whole|entire) (repo|repository|project|codebase)|entry ?points?|get(ting)? started|how (do|can) i (run|build|start|use|install)|configured|configuration|set ?up)\b/i;

/** True when the request is about the repository as a whole rather than the code at hand. */
export function isRepositoryQuestion(query: string, hasSelection: boolean): boolean {
  return BROAD.test(query) && (!hasSelection || /\b(repo|repository|project|codebase)\b/i.test(query));
}

const README = /^readme(\.(md|mdx|markdown|txt|rst))?$/i;
const MANIFEST = /^(package\.json|pnpm-workspace\.yaml|lerna\.json|nx\.json|turbo\.json|deno\.jsonc?|tsconfig\.json|jsconfig\.json|Cargo\.toml|pyproject\.toml|go\.mod|composer\.json|Gemfile|pom\.xml|build\.gradle(\.kts)?)$/;
const ENTRY = /^(src\/)?(index|main|mod|app|server|cli|extension|lib)\.(ts|tsx|mts|js|jsx|mjs|cjs)$/;

/**
 * Adds the repository's README, manifests and entry points as candidates. `strong`: the request
 * asks about the whole repository (they lead); else they are a weak hint for requests with no
 * code at hand.
 */
export function addOverview(index: WorkspaceIndex, set: CandidateSet, strong: boolean): void {
  const w = strong ? 1 : 0.5;
  for (let root = 0; root < index.roots().length; root++) {
    const at = (rel: string): FileEntry | undefined => index.files.get(`${root}:${rel}`);
    const top = [...index.files.values()].filter((f) => f.rootIndex === root && !f.rel.includes('/'));
    for (const f of top) if (README.test(f.rel)) set.add(f, 'overview', 0.9 * w, 'the README: what the repository is');
    for (const f of top) if (MANIFEST.test(f.rel)) set.add(f, 'overview', (f.rel === 'package.json' ? 0.85 : 0.75) * w, 'a manifest: name, scripts, dependencies, workspace layout');
    const pkg = at('package.json');
    const entries = new Set<string>();
    for (const p of manifestEntries(pkg?.text)) {
      const hit = sourceOf(index, root, p);
      if (hit) entries.add(hit);
    }
    for (const f of index.files.values()) if (f.rootIndex === root && ENTRY.test(f.rel)) entries.add(f.rel);
    for (const rel of [...entries].slice(0, 6)) {
      const f = at(rel);
      if (f) set.add(f, 'overview', 0.7 * w, 'an entry point named by the manifest or by convention');
    }
    // Workspace packages: each package's manifest says what it is (a few, shallowest first).
    if (strong) {
      const pkgs = [...index.files.values()].filter((f) => f.rootIndex === root && f.rel.endsWith('/package.json') && !/(^|\/)(test|tests|fixtures?|examples?|__\w+__)\//.test(f.rel));
      pkgs.sort((a, b) => a.rel.split('/').length - b.rel.split('/').length || (a.rel < b.rel ? -1 : 1));
      for (const f of pkgs.slice(0, 8)) set.add(f, 'overview', 0.45, `the manifest of the ${path.posix.dirname(f.rel)} package`);
    }
  }
}

/** Paths a package.json names as its entry points: main, module, types, bin, exports (strings anywhere inside). */
export function manifestEntries(text: string | undefined): string[] {
  if (!text) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  if (!json || typeof json !== 'object') return [];
  const pkg = json as Record<string, unknown>;
  const out: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  for (const k of ['main', 'module', 'bin', 'exports', 'browser']) collect(pkg[k]);
  return [...new Set(out.filter((p) => /^\.?\.?\/?[\w@.-]/.test(p) && !p.includes('*')))];
}

/** The source file behind a manifest's path (dist/index.js -> src/index.ts), if the repository has one. */
function sourceOf(index: WorkspaceIndex, root: number, p: string): string | undefined {
  const rel = path.posix.normalize(p.replace(/^\.\//, ''));
  const stem = rel.replace(/\.d\.ts$/, '').replace(/\.(m|c)?(j|t)sx?$/, '');
  const bodies = [stem, stem.replace(/^(dist|lib|build|out|esm|cjs|es)(\/(esm|cjs|es|types))?\//, 'src/')];
  for (const b of bodies) {
    for (const ext of ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.jsx']) if (index.files.has(`${root}:${b}${ext}`)) return b + ext;
    if (index.files.has(`${root}:${b}/index.ts`)) return `${b}/index.ts`;
  }
  return index.files.has(`${root}:${rel}`) && !/^(dist|build|out)\//.test(rel) ? rel : undefined;
}
