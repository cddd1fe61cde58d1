/**
 * Exact o200k_base token counts, the only thing other parts import from this folder.
 *
 * The functions below use the one TokenCounter this process owns, whose piece counts persist in
 * the user's cache folder unless `configureTokenCache` names another (or null: memory only).
 * A caller that needs its own counter (a benchmark, a test of the cold path) creates one.
 */
import { TokenCounter } from './counter';

export { TokenCounter };

const shared = new TokenCounter();

/** Exact o200k_base token count of `text`; never throws on special-token text. */
export function countTokens(text: string): number {
  return shared.count(text);
}

/** Counts of many texts at once (new pieces counted together): what chunk counting uses. */
export function countTokensMany(texts: readonly string[]): number[] {
  return shared.countMany(texts);
}

/** Where the shared counter keeps piece counts across processes (undefined: the user's cache folder; null: memory only). */
export function configureTokenCache(dir: string | null | undefined): void {
  shared.configure(dir);
}

/** Writes the piece counts learned in this process to the shared file (best effort). */
export function flushTokenCache(): void {
  shared.flush();
}

/**
 * Forgets the shared counter's memory as in a new process (tests of the cold path);
 * `tables` also forgets that the full tables were loaded.
 */
export function resetTokenCache(opts: { tables?: boolean } = {}): void {
  shared.forget({ tables: opts.tables });
}

/** How many times the shared counter loaded the full rank tables (0 or 1). */
export function tokenizerLoadCount(): number {
  return shared.tableLoadCount;
}
