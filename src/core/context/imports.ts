import path from 'node:path';

/**
 * Import edges between TS/JS files, resolved the way the project resolves them: relative
 * specifiers with the extension omitted or written as `.js` for a `.ts` source, `index` files,
 * tsconfig/jsconfig `baseUrl` and `paths`, and workspace packages by their package.json name
 * (their `exports`/`module`/`main`, else `src/index`).
 */
export const CODE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte)$/;
const EXTS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.vue', '.svelte'];

const SPEC = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bexport\s+\*\s+from\s*)['"]([^'"\n]+)['"]/g;

export interface ImportRef {
  readonly spec: string;
  /** Names imported (`import { a, b as c }` gives a, b), empty for namespace/default/side-effect. */
  readonly names: string[];
}

/** Import specifiers of a file's text, with the names each one brings in. */
export function parseImports(text: string): ImportRef[] {
  const out: ImportRef[] = [];
  SPEC.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SPEC.exec(text))) {
    // Names between `import`/`export` and this `from`: look back a bounded window.
    const before = text.slice(Math.max(0, m.index - 600), m.index);
    const brace = /\{([^{}]*)\}\s*$/.exec(before);
    const names: string[] = [];
    if (brace && /\b(import|export)\b[^;]*$/.test(before.slice(0, before.length - brace[0].length + 1))) {
      for (const part of brace[1].split(',')) {
        const name = part.replace(/^\s*type\s+/, '').trim().split(/\s+as\s+/)[0].trim();
        if (/^[A-Za-z_$][\w$]*$/.test(name)) names.push(name);
      }
    }
    out.push({ spec: m[1], names });
  }
  return out;
}

export interface ResolverConfig {
  /** tsconfig `paths` with their directory (absolute rel-to-root posix base). */
  readonly paths: Array<{ pattern: string; targets: string[]; base: string }>;
  readonly baseUrls: string[];
  /** Workspace package name -> entry file candidates (rel posix). */
  readonly packages: Map<string, { dir: string; entries: string[] }>;
}

function stripJsonComments(text: string): string {
  return text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str: string | undefined) => str ?? '').replace(/,(\s*[}\]])/g, '$1');
}

/** Reads tsconfig/jsconfig files and package.json files found among `files` (rel posix). */
export async function loadResolverConfig(files: string[], read: (rel: string) => Promise<string | undefined>): Promise<ResolverConfig> {
  const cfg: ResolverConfig = { paths: [], baseUrls: [], packages: new Map() };
  const configs = files.filter((f) => /(^|\/)(tsconfig|jsconfig)(\.[\w-]+)?\.json$/.test(f) && f.split('/').length <= 4).slice(0, 30);
  for (const f of configs) {
    try {
      const json = JSON.parse(stripJsonComments((await read(f)) ?? '')) as { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } };
      const dir = path.posix.dirname(f) === '.' ? '' : path.posix.dirname(f);
      const co = json.compilerOptions ?? {};
      const base = path.posix.normalize(path.posix.join(dir, co.baseUrl ?? '.'));
      if (co.baseUrl) cfg.baseUrls.push(base === '.' ? '' : base);
      for (const [pattern, targets] of Object.entries(co.paths ?? {})) {
        if (Array.isArray(targets)) cfg.paths.push({ pattern, targets, base: base === '.' ? '' : base });
      }
    } catch {
      /* a broken tsconfig just resolves less */
    }
  }
  const pkgs = files.filter((f) => f.endsWith('package.json') && f !== 'package.json' && f.split('/').length <= 4).slice(0, 200);
  for (const f of pkgs) {
    try {
      const json = JSON.parse((await read(f)) ?? '') as { name?: string; main?: string; module?: string; types?: string; source?: string; exports?: unknown };
      if (!json.name) continue;
      const dir = path.posix.dirname(f);
      const entries: string[] = [];
      const dot = typeof json.exports === 'string' ? json.exports : (json.exports as Record<string, unknown> | undefined)?.['.'];
      const collect = (v: unknown) => {
        if (typeof v === 'string') entries.push(v);
        else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
      };
      collect(dot);
      for (const v of [json.source, json.types, json.module, json.main]) if (v) entries.push(v);
      entries.push('src/index', 'index');
      cfg.packages.set(json.name, { dir, entries: entries.map((e) => path.posix.normalize(path.posix.join(dir, e))) });
    } catch {
      /* skip */
    }
  }
  return cfg;
}

/** Resolves one specifier from file `from` (rel posix) to a file in `files`, or undefined. */
export function resolveImport(from: string, spec: string, files: Set<string>, cfg: ResolverConfig): string | undefined {
  if (spec.startsWith('.')) return tryFile(path.posix.join(path.posix.dirname(from), spec), files);
  if (spec.startsWith('/')) return undefined;
  for (const p of cfg.paths) {
    const star = p.pattern.indexOf('*');
    let rest: string | undefined;
    if (star === -1) rest = spec === p.pattern ? '' : undefined;
    else if (spec.startsWith(p.pattern.slice(0, star)) && spec.endsWith(p.pattern.slice(star + 1))) rest = spec.slice(star, spec.length - (p.pattern.length - star - 1));
    if (rest === undefined) continue;
    for (const t of p.targets) {
      const hit = tryFile(path.posix.join(p.base, t.replace('*', rest)), files);
      if (hit) return hit;
    }
  }
  // Workspace packages: `@scope/pkg` and `@scope/pkg/sub`.
  const parts = spec.split('/');
  const pkgName = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const pkg = cfg.packages.get(pkgName);
  if (pkg) {
    const sub = spec.slice(pkgName.length + 1);
    if (sub) return tryFile(path.posix.join(pkg.dir, 'src', sub), files) ?? tryFile(path.posix.join(pkg.dir, sub), files);
    for (const e of pkg.entries) {
      const hit = tryFile(e.replace(/^(.*\/)?(dist|lib|build|out)\//, '$1src/'), files) ?? tryFile(e, files);
      if (hit) return hit;
    }
  }
  for (const b of cfg.baseUrls) {
    const hit = tryFile(path.posix.join(b, spec), files);
    if (hit) return hit;
  }
  return undefined;
}

function tryFile(p: string, files: Set<string>): string | undefined {
  const base = path.posix.normalize(p).replace(/^\.\//, '');
  if (base.startsWith('..')) return undefined;
  if (files.has(base) && CODE_FILE.test(base)) return base;
  // `.js` written for a `.ts` source (ESM TypeScript), `.jsx` for `.tsx`, `.mjs` for `.mts`.
  const swapped = base.replace(/\.js$/, '.ts').replace(/\.jsx$/, '.tsx').replace(/\.mjs$/, '.mts').replace(/\.cjs$/, '.cts');
  if (swapped !== base && files.has(swapped)) return swapped;
  if (swapped !== base && files.has(base.replace(/\.js$/, '.tsx'))) return base.replace(/\.js$/, '.tsx');
  const stem = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
  for (const e of EXTS) if (files.has(stem + e)) return stem + e;
  for (const e of EXTS) if (files.has(`${base}/index${e}`)) return `${base}/index${e}`;
  if (files.has(base)) return base;
  return undefined;
}
