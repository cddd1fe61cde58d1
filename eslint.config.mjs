// Lint, and the layering rules of docs/architecture.md: core and cli never import vscode; the webview
// imports neither Node nor vscode. A violation fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
/** The files under src/vscode that unit tests load in plain Node (test/unit/layers.test.ts keeps the list complete). */
export const PLAIN_NODE_VSCODE_FILES = [
  'src/vscode/agent/chatText.ts', 'src/vscode/agent/reviewDecisions.ts', 'src/vscode/agent/undoText.ts',
  'src/vscode/chat/approvals.ts', 'src/vscode/chat/prompts.ts', 'src/vscode/chat/runningRequests.ts',
  'src/vscode/endpoints/present.ts', 'src/vscode/lm/messages.ts', 'src/vscode/sidebar/header.ts',
  'src/vscode/sidebar/persistence.ts', 'src/vscode/sidebar/scrub.ts', 'src/vscode/sidebar/updateQueue.ts',
];
/** Token counting and the persistent caches are used through their index only. */
const throughIndex = { group: ['**/core/tokens/*', '**/core/cache/*', '../tokens/*', '../cache/*'], message: 'Import token counting and caches from their folder (src/core/tokens, src/core/cache), not from a file inside it.' };
const vscodeBan = { name: 'vscode', message: 'Only src/vscode may import vscode (docs/architecture.md): reach the editor through a port.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'out/**', '**/*.vsix', 'test/integration/workspaces/**', 'bench/context-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'readonly', __dirname: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', performance: 'readonly', Buffer: 'readonly', AbortController: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Type-aware rules on every TypeScript file, each checked with the tsconfig that owns it (the
    // root one, src/webview's or test/integration's; a file in none is an error). A promise nobody
    // awaits loses its error: await it, or catch and report it. `void` marks one that handles its
    // own errors. Thenables count too: most of the VS Code API returns them.
    // test/unit/architecture/typedLint.test.ts fails if these rules are dropped or narrowed.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { checkThenables: true }],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscodeBan], patterns: [{ group: ['**/vscode/**', '../vscode', '../../vscode', '**/webview/**'], message: 'core and cli must not depend on the editor adapters or the webview.' }, throughIndex] }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscodeBan], patterns: [{ group: ['**/vscode/**', '../vscode', '../../vscode', '**/webview/**', '**/cli/**'], message: 'core depends on nothing of vscode, cli or webview.' }, throughIndex] }],
      'no-restricted-globals': ['error', { name: 'window', message: 'core has no DOM' }, { name: 'document', message: 'core has no DOM' }],
    },
  },
  {
    files: ['src/webview/**/*.ts', 'src/webview/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscodeBan, ...nodeModules.map((name) => ({ name, message: 'The webview runs in a browser: no Node modules.' }))], patterns: [{ group: ['**/vscode/**', '**/cli/**', '**/core/context/**', '**/core/model/**'], message: 'The webview talks to the host only by messages.' }] }],
    },
  },
  {
    files: ['src/vscode/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { patterns: [throughIndex] }],
      // VS Code's event listeners are typed to return `any`, so no-misused-promises cannot see these.
      'no-restricted-syntax': ['error', {
        selector: 'CallExpression[callee.property.name=/^on[A-Z]/] > :matches(ArrowFunctionExpression, FunctionExpression)[async=true]',
        message: 'VS Code ignores what an event listener returns, so a rejection here is lost: call a function and catch its errors (log or show them).',
      }],
    },
  },
  {
    // Files under src/vscode that the unit tests load in plain Node (test/unit): no runtime
    // `vscode` import (a type import is erased), and nothing else of src/vscode, which may import it.
    files: PLAIN_NODE_VSCODE_FILES,
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', allowTypeImports: true, message: 'Unit tests load this file in plain Node, where there is no vscode module: take what it needs as parameters, or import only types.' }],
        patterns: [throughIndex, { regex: '^\\.\\.?/(?!\\.\\./core(/|$))', message: 'Unit tests load this file in plain Node: it may import core, not other src/vscode files (they may import vscode).' }],
      }],
    },
  },
);
