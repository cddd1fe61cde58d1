// Synthetic events for the sidebar suites, injected with `ponder._test.feedEvents` (test mode).
import * as vscode from 'vscode';

// No `purpose` filter: a view's webview re-created after hide/show has no purpose in its URL.
export const VIEW = { target: 'ponder.trace' };

let n = 0;
export function newRequestId(tag: string): string {
  return `it-${tag}-${Date.now().toString(36)}-${++n}`;
}

export function feed(events: unknown[]): Thenable<number> {
  return vscode.commands.executeCommand<number>('ponder._test.feedEvents', events);
}

/** The start of a request in the sample workspace, with its packed context. */
export function start(id: string, t: number, prompt = 'Why does total() round twice?'): unknown[] {
  return [
    { type: 'request.start', requestId: id, t, endpoint: 'team-vllm', model: 'mai-thinking-1', command: 'explain', prompt },
    {
      type: 'context.packed', requestId: id, t: t + 5, budget: 6000, used: 2150, window: 32768, partial: false, ms: 42,
      items: [
        { path: 'src/pricing.ts', ranges: [[3, 6]], tokens: 1400, reason: 'the selection', kind: 'selection' },
        { path: 'src/cart.ts', tokens: 750, reason: 'imports pricing.ts', kind: 'importer' },
      ],
      withheld: [{ path: '.env', reason: 'secret file: never sent' }],
    },
  ];
}

/** `count` reasoning deltas forming paragraphs of markdown. */
export function reasoning(id: string, t: number, count: number): unknown[] {
  const words = ['The ', 'total ', 'is ', '**rounded** ', 'in ', '`applyDiscount` ', 'and ', 'again ', 'in ', 'format', '. '];
  return Array.from({ length: count }, (_, i) => ({
    type: 'reasoning.delta', requestId: id, t: t + i, text: i % 40 === 39 ? '\n\n' : words[i % words.length],
  }));
}
