import path from 'node:path';
import type { Withheld } from '../events';
import type { ContextRequest, PackedContext, PackedItem, PackOptions } from './types';
import type { EditorDiagnostic, EditorReader } from '../editor/port';
import { WorkspaceIndex, type FileEntry } from './workspaceIndex';
import { gather } from './gather';
import { pack } from './pack';
import { configureTokenCache, countTokens, flushTokenCache } from '../tokens';
import { isSecretPath, isSecretTarget } from './secrets';
import { buildRepoMap } from './repoMap';
import { renderMapItem } from './render';

/**
 * packContext: candidates -> ranking -> packing within the budget. Pure core: everything it
 * knows about the workspace comes through the port; the CLI passes a NodeWorkspace, the
 * extension its VS Code port and a warm index.
 */
export async function packContext(req: ContextRequest, port: EditorReader, opts: PackOptions = {}): Promise<PackedContext> {
  const t0 = Date.now();
  if (!Number.isInteger(req.budget) || req.budget < 0) throw new Error(`context budget must be a non-negative integer of tokens, got ${req.budget}`);
  configureTokenCache(opts.cacheDir);
  const deadline = t0 + (req.timeLimitMs ?? 3000);
  const index = indexFor(port, req, opts);
  await index.refresh(deadline, req.signal, req.activeFile ? path.resolve(port.roots()[0]?.path ?? '', req.activeFile) : undefined);
  const withheld: Withheld[] = [...index.withheld];
  for (const f of index.files.values()) if (f.withheld) withheld.push({ path: index.display(f), reason: f.withheld });

  let active = req.activeFile ? locateFile(index, port, req.activeFile) ?? (await outsideIndex(index, port, req.activeFile, withheld)) : undefined;
  // A time limit may cut reading short before the active file: it is always read.
  if (active && active.withheld === undefined && index.textOf(active) === undefined && !active.lazy) active = await index.readNow(active);
  const activeOk = active && !active.withheld && active.text !== undefined ? active : undefined;
  const openPaths = req.openFiles ?? (await port.openEditors?.())?.map((e) => e.path) ?? [];
  const open = openPaths.map((p) => locateFile(index, port, p)).filter((f): f is FileEntry => !!f && !f.withheld && index.textOf(f) !== undefined);
  let diagnostics: EditorDiagnostic[] = [];
  if (activeOk && port.diagnostics) diagnostics = (await port.diagnostics(activeOk.abs, req.selection).catch(() => [])).slice(0, 50);

  const g = await gather({ index, query: req.query, active: activeOk, selection: req.selection, open, diagnostics, git: opts.git !== false, deadline });
  const ranked = g.ranked.map((cand) => {
    const sigs = [...cand.signals].sort((a, b) => b.weight - a.weight);
    return { cand, display: index.display(cand.file), kind: sigs[0].kind, reason: sigs.slice(0, 2).map((s) => s.reason).join('; ') };
  });

  // Secrets are redacted in what may be sent (once per content; files are re-read when stale).
  if (activeOk) index.redact(activeOk);

  const budget = req.budget;
  // A question about the whole repository gets a larger map, from smaller budgets on.
  const wantMap = req.repoMap !== false && budget >= (g.broad ? 4000 : 16000);
  const mapBudget = wantMap ? (g.broad ? Math.min(8000, Math.floor(budget * 0.2)) : Math.min(3000, Math.floor(budget * 0.03))) : 0;
  const activeReason = req.selection ? (diagnostics.length ? 'the active file: the selection, its enclosing code and its diagnostics' : 'the active file: the selection and its enclosing code') : 'the active file';
  const { items, used } = pack({
    budget: budget - mapBudget,
    active: activeOk ? { file: activeOk, display: index.display(activeOk), focus: g.activeFocus, reason: activeReason } : undefined,
    ranked,
    focusTerms: g.focusTerms,
    deadline,
    prepare: (f) => index.redact(f),
    chunks: (f, lines) => index.chunkCounts(f, lines),
  });
  let total = used;
  const out: PackedItem[] = [...items];
  if (wantMap) {
    const map = repoMapFor(index, budget - total);
    if (map) {
      const text = renderMapItem(map);
      const tokens = countTokens(text);
      if (total + tokens <= budget) {
        out.push({ path: '(repository map)', tokens, reason: 'paths and top-level symbols, for orientation', kind: 'map', text });
        total += tokens;
      }
    }
  }
  for (const f of index.files.values()) {
    if (f.redactions && f.redactions > 0 && out.some((i) => i.path === index.display(f))) withheld.push({ path: index.display(f), reason: `${f.redactions} line(s) that look like credentials redacted` });
  }
  flushTokenCache();
  index.flushCache();
  return { budget, used: total, items: out, withheld: capWithheld(withheld), partial: index.partial, ms: Date.now() - t0 };
}

/**
 * A port that reports changes (the editor's) keeps one index per set of index options, warm
 * across requests; one that cannot (the CLI's file system) gets a fresh index per call.
 */
const warm = new WeakMap<EditorReader, Map<string, WorkspaceIndex>>();
function indexFor(port: EditorReader, req: ContextRequest, opts: PackOptions): WorkspaceIndex {
  const indexOpts = { exclude: req.exclude, maxFileSizeKB: req.maxFileSizeKB, cacheDir: opts.cacheDir };
  if (!port.onDidChange) return new WorkspaceIndex(port, { ...indexOpts, onHeavyWork: opts.onHeavyWork });
  let byOpts = warm.get(port);
  if (!byOpts) warm.set(port, (byOpts = new Map()));
  const key = JSON.stringify(indexOpts);
  let index = byOpts.get(key);
  if (!index) {
    for (const old of byOpts.values()) old.dispose(); // settings changed: one live index per port
    byOpts.clear();
    byOpts.set(key, (index = new WorkspaceIndex(port, indexOpts)));
  }
  return index;
}

/** The map only changes with the index: keep the last one per index and size. */
const maps = new WeakMap<WorkspaceIndex, { version: number; max: number; map: string | undefined }>();
function repoMapFor(index: WorkspaceIndex, maxTokens: number): string | undefined {
  const hit = maps.get(index);
  if (hit && hit.version === index.version && hit.max === maxTokens) return hit.map;
  const map = buildRepoMap(index.mapBlocks(), maxTokens);
  maps.set(index, { version: index.version, max: maxTokens, map });
  return map;
}

/**
 * The file the user is looking at, when the index left it out (ignored, generated, outside the
 * listing): they chose it, so it is still sent, unless it is secret, binary or too big.
 */
async function outsideIndex(index: WorkspaceIndex, port: EditorReader, p: string, withheld: Withheld[]): Promise<FileEntry | undefined> {
  const abs = path.isAbsolute(p) ? p : path.join(port.roots()[0]?.path ?? '', p);
  const hit = index.locate(abs);
  const rel = hit?.rel ?? path.basename(abs);
  const display = hit && port.roots().length > 1 ? `${port.roots()[hit.rootIndex].name}/${rel}` : rel;
  if (isSecretPath(rel) || isSecretTarget(abs)) {
    withheld.push({ path: display, reason: 'secret file (never sent)' });
    return undefined;
  }
  const text = await port.readFile(abs);
  if (text === undefined || text.includes('\u0000') || text.length > 4 << 20) return undefined;
  return { key: hit?.key ?? `outside:${abs}`, rootIndex: hit?.rootIndex ?? 0, rel, abs, text, len: 0, pathTerms: [], tf: [], imports: [], symbols: [] };
}

function locateFile(index: WorkspaceIndex, port: EditorReader, p: string): FileEntry | undefined {
  const abs = path.isAbsolute(p) ? p : path.join(port.roots()[0]?.path ?? '', p);
  const hit = index.locate(abs);
  return hit ? index.files.get(hit.key) : undefined;
}

function capWithheld(w: Withheld[]): Withheld[] {
  if (w.length <= 60) return w;
  return [...w.slice(0, 59), { path: '…', reason: `${w.length - 59} more files withheld` }];
}
