import ignore, { type Ignore } from 'ignore';
import path from 'node:path';
import type { WorkspaceRoot } from './types';
import { isSecretPath } from './secrets';
import type { EditorReader } from '../editor/port';

/**
 * What never becomes context: ignored (.gitignore, nested ones too, .ponderignore,
 * `ponder.context.exclude`), vendored and generated files, binaries, oversized files and
 * secrets. Each check returns the reason so the trace can say what was withheld and why.
 */
const VENDORED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'bower_components', 'jspm_packages', 'vendor', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.svelte-kit', '.turbo', '.cache', '.parcel-cache', '.vscode-test', '.yarn', '.pnpm-store', '__pycache__', '.venv', 'venv', 'target', '.ponder-cache', '.idea']);
const SOURCE_OK = new Set(['build', 'out', 'vendor', 'target', 'dist']);
const GENERATED_FILE = /(\.min\.(js|css)|\.map|\.bundle\.js|\.chunk\.js|-lock\.json|\.lock|\.lockb|\.snap|\.tsbuildinfo|\.d\.ts\.map)$|(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb|Cargo\.lock|composer\.lock|Gemfile\.lock|poetry\.lock)$/i;
const BINARY_EXT = /\.(png|jpe?g|gif|bmp|ico|icns|webp|avif|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|7z|rar|jar|war|class|so|dylib|dll|exe|bin|o|a|lib|obj|wasm|node|woff2?|ttf|otf|eot|mp3|mp4|m4a|wav|ogg|flac|mov|avi|mkv|webm|sqlite|db|pyc|vsix|glb|gltf|fbx|blend)$/i;

export interface IgnoreFilter {
  /** Reason a directory (rel, posix) is not descended into, or undefined. */
  dirReason(rel: string): string | undefined;
  /**
   * Reason from a nested .gitignore that ignores a folder above `rel` (the walk already skipped
   * the folders the root rules ignore), or undefined.
   */
  nestedDirReason(rel: string): string | undefined;
  /** Reason a file (rel, posix) is withheld by its path alone, or undefined. */
  fileReason(rel: string): string | undefined;
  /** Reason a file is withheld by size or content, or undefined. */
  contentReason(rel: string, size: number, text?: string): string | undefined;
}

export interface IgnoreOptions {
  readonly exclude?: string[];
  readonly maxFileSizeKB?: number;
}

/** Reads the ignore files of a root (root .gitignore, nested .gitignore, .ponderignore). */
export async function createIgnoreFilter(root: WorkspaceRoot, port: EditorReader, opts: IgnoreOptions = {}, gitignoreFiles?: string[]): Promise<IgnoreFilter> {
  const rootRules = ignore({ allowRelativePaths: true });
  const rootTexts: string[] = [];
  for (const name of ['.gitignore', '.ponderignore']) {
    const text = await port.readFile(path.join(root.path, name));
    if (text && hasRules(text)) {
      rootRules.add(text);
      rootTexts.push(text);
    }
  }
  const hasRootRules = rootTexts.length > 0;
  const rootFiles = fileMatcher(rootTexts.join('\n'), rootRules);
  const userRules = ignore({ allowRelativePaths: true }).add(opts.exclude ?? []);
  const userFiles = fileMatcher((opts.exclude ?? []).join('\n'), userRules);
  // A rule set with no rules is not asked: the matcher's cost per path is paid even then.
  const hasUserRules = (opts.exclude ?? []).some(hasRules);
  // Nested .gitignore files apply to their own directory, patterns relative to it.
  const nested: Array<{ dir: string; rules: Ignore; files: (rel: string) => boolean }> = [];
  for (const rel of gitignoreFiles ?? []) {
    const dir = path.posix.dirname(rel);
    if (dir === '.' || dir === '') continue;
    const text = await port.readFile(path.join(root.path, rel));
    if (!text || !hasRules(text)) continue;
    const rules = ignore({ allowRelativePaths: true }).add(text);
    nested.push({ dir: dir + '/', rules, files: fileMatcher(text, rules) });
  }
  const maxBytes = (opts.maxFileSizeKB ?? 512) * 1024;
  // Looked up by the path's own folders (a repository may hold hundreds of nested .gitignore files).
  const nestedAt = new Map(nested.map((n) => [n.dir, n]));
  const nestedOver = (probe: string): typeof nested => {
    const out: typeof nested = [];
    for (let i = probe.indexOf('/'); i !== -1; i = probe.indexOf('/', i + 1)) {
      const n = nestedAt.get(probe.slice(0, i + 1));
      if (n) out.push(n);
    }
    return out;
  };

  const nestedDirMemo = new Map<string, string>(); // folder -> reason, '' for none

  const ignoredBy = (rel: string, isDir: boolean): string | undefined => {
    const probe = isDir ? rel + '/' : rel;
    if (hasUserRules && (isDir ? userRules.ignores(probe) : userFiles(probe))) return 'excluded by ponder.context.exclude';
    if (hasRootRules && (isDir ? rootRules.ignores(probe) : rootFiles(probe))) return 'ignored by .gitignore/.ponderignore';
    for (const n of nestedOver(probe)) {
      const sub = probe.slice(n.dir.length);
      if (isDir ? n.rules.ignores(sub) : n.files(sub)) return `ignored by ${n.dir}.gitignore`;
    }
    return undefined;
  };

  return {
    dirReason(rel) {
      const base = rel.slice(rel.lastIndexOf('/') + 1);
      // `build`/`out`/`vendor` inside a source tree are usually real code (src/build/...).
      if (VENDORED_DIRS.has(base) && !(SOURCE_OK.has(base) && /(^|\/)(src|lib|source)\//.test(rel))) return `vendored or generated directory (${base})`;
      return ignoredBy(rel, true);
    },
    nestedDirReason(rel) {
      if (nested.length === 0) return undefined;
      // The answer is the folder's: files of one folder share it.
      const folder = rel.slice(0, rel.lastIndexOf('/') + 1);
      const hit = nestedDirMemo.get(folder);
      if (hit !== undefined) return hit || undefined;
      let why = '';
      for (const n of nestedOver(rel)) {
        const sub = rel.slice(n.dir.length);
        for (let i = sub.indexOf('/'); i !== -1 && !why; i = sub.indexOf('/', i + 1)) {
          if (n.rules.ignores(sub.slice(0, i + 1))) why = `ignored by ${n.dir}.gitignore`;
        }
        if (why) break;
      }
      nestedDirMemo.set(folder, why);
      return why || undefined;
    },
    fileReason(rel) {
      if (isSecretPath(rel)) return 'secret file (never sent)';
      if (BINARY_EXT.test(rel)) return 'binary file';
      if (GENERATED_FILE.test(rel)) return 'generated or lock file';
      return ignoredBy(rel, false);
    },
    contentReason(_rel, size, text) {
      if (size > maxBytes) return `over the size limit (${Math.round(size / 1024)} KB > ${maxBytes / 1024} KB)`;
      if (text !== undefined) {
        if (text.includes('\u0000')) return 'binary file';
        if (looksMinified(text)) return 'generated (minified) file';
      }
      return undefined;
    },
  };
}

/**
 * `rules.ignores(rel)` for a file, as the matcher answers it, without testing every rule against
 * every path of a big listing. With no negation among them, a file is ignored when a folder above
 * it is, or when a rule matches it; a rule that names no folder (`*.log`, `coverage`, `.env`)
 * matches a file by its name alone, so its verdict is kept per name, and a folder's per folder.
 * Rules that name a folder (`/build`, `docs/*.html`) still see the whole path, and only paths
 * that start as they do (ignoring case, as the matcher does). With a negation, the order of the
 * rules decides: every path is asked as is.
 */
export function fileMatcher(text: string, rules: Ignore): (rel: string) => boolean {
  const lines = text.split(/\r?\n/).filter((l) => /^[ \t]*[^#\s]/.test(l));
  if (lines.some((l) => /^\s*!/.test(l))) return (rel) => rules.ignores(rel);
  const byName: string[] = [];
  const byPath: string[] = [];
  for (const l of lines) (l.trimEnd().replace(/\/+$/, '').includes('/') ? byPath : byName).push(l);
  const names = ignore({ allowRelativePaths: true }).add(byName);
  const paths = byPath.length > 0 ? ignore({ allowRelativePaths: true }).add(byPath) : undefined;
  // What a path must start with for each of those rules to match it: its text up to the first
  // wildcard or escape ('' when unsure: the rule is asked for every path).
  const prefixes = byPath.map((l) => {
    const p = l.trimEnd().replace(/^\//, '');
    return /^\s|\.\//.test(p) ? '' : p.slice(0, p.search(/[*?[\\]|$/)).toLowerCase();
  });
  const nameMemo = new Map<string, boolean>();
  const dirMemo = new Map<string, boolean>();
  return (rel) => {
    const cut = rel.lastIndexOf('/');
    if (cut >= 0) {
      const dir = rel.slice(0, cut + 1);
      let d = dirMemo.get(dir);
      if (d === undefined) dirMemo.set(dir, (d = rules.ignores(dir)));
      if (d) return true;
    }
    const name = rel.slice(cut + 1);
    let n = nameMemo.get(name);
    if (n === undefined) nameMemo.set(name, (n = names.ignores(name)));
    if (n || !paths) return n;
    const lower = rel.toLowerCase();
    return prefixes.some((p) => lower.startsWith(p)) && paths.ignores(rel);
  };
}

/** Whether a .gitignore text holds a rule (not only blank lines and comments). */
function hasRules(text: string): boolean {
  return /^[ \t]*[^#\s]/m.test(text);
}

/** Minified bundles: few very long lines. */
function looksMinified(text: string): boolean {
  if (text.length < 5000) return false;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return text.length / lines > 500;
}
