/**
 * The closed value sets of the event model, without zod: events.ts builds its enums from them,
 * and the webview's protocol (zod/mini, which must not pull classic zod into the browser bundle)
 * uses the same lists.
 */

/** What a request is for: a palette or slash command, a free question (`ask`, the CLI), a chat turn, an agent task, or another extension's request through VS Code's language model API. */
export const REQUEST_COMMANDS = ['explain', 'fix', 'review', 'tests', 'refactor', 'ask', 'chat', 'agent', 'vscode.lm'] as const;

/**
 * How a request ended: the model's own reason (a turn that called tools and then answered ends
 * in `stop`), or Ponder's: `cancelled` by the user, `error` (the error event says why).
 */
export const FINISH_REASONS = ['stop', 'length', 'tool_calls', 'content_filter', 'cancelled', 'error'] as const;

/**
 * Why a context item was packed (its strongest signal): the active file and its selection, a
 * match for the query (BM25, or words shared with the request), a file named in the request, an open file, an import either
 * way, a definition used in the selection, a test or twin file, a sibling, the git diff, a
 * co-changed file, the overview files, the repository map, or an instruction file.
 */
export const CONTEXT_KINDS = [
  'active', 'selection', 'query', 'lexical', 'named', 'open', 'import', 'importer', 'definition', 'test', 'twin', 'sibling',
  'diff', 'cochange', 'overview', 'map', 'instructions',
] as const;

/** Where a cost figure came from: the provider's report, the profile's price table, GPU hours, or no price at all. */
export const COST_SOURCES = ['provider', 'price-table', 'gpu-hour', 'unpriced'] as const;
