// Lint, and the layering rules of DESIGN.md: core and cli never import vscode; the webview
// imports neither Node nor vscode. A violation fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
/** Token counting and the persistent caches are used through their index only. */
const throughIndex = { group: ['**/core/tokens/*', '**/core/cache/*', '../tokens/*', '../cache/*'], message: 'Import token counting and caches from their folder (src/core/tokens, src/core/cache), not from a file inside it.' };
const vscodeBan = { name: 'vscode', message: 'Only src/vscode may import vscode (DESIGN.md layers): reach the editor through a port.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'out/**', '**/*.vsix', 'test/integration/workspaces/**'] },
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
    rules: { 'no-console': 'error', 'no-restricted-imports': ['error', { patterns: [throughIndex] }] },
  },
);
