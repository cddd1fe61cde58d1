// One build script: the extension and CLI for Node (cjs), the sidebar for the browser.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? 'external' : 'linked',
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
};

/**
 * gpt-tokenizer's o200k rank tables (about 4 MB) live in their own file, dist/tokenizer.js, that
 * the extension and the CLI load on first use: activation and every CLI start skip compiling them.
 */
const TOKENIZER = 'src/core/tokens/o200kFull.ts';
const tokenizerChunk = {
  name: 'tokenizer-chunk',
  setup(build) {
    build.onResolve({ filter: /^\.\/o200kFull$/ }, (args) => (args.importer.endsWith(path.join('tokens', 'counter.ts')) ? { path: './tokenizer.js', external: true } : undefined));
  },
};

/**
 * Each CLI command is its own file (dist/cli-<name>.js) loaded by the small dispatcher in
 * dist/cli.js, so `ponder context` does not compile the openai SDK it never uses.
 */
const CLI_COMMANDS = ['context', 'ask', 'models', 'costs', 'mcp', 'agent'];
const cliSplit = {
  name: 'cli-split',
  setup(build) {
    // The MCP client (the MCP SDK) loads only for `ponder ask --mcp` / `ponder agent --mcp`.
    build.onResolve({ filter: new RegExp(`^\\./(${CLI_COMMANDS.join('|')})$`) }, (args) =>
      args.importer.endsWith('main.ts') || (args.path === './mcp' && args.importer.endsWith('mcpStart.ts')) ? { path: `./cli-${args.path.slice(2)}.js`, external: true } : undefined);
  },
};

const targets = [
  {
    ...common,
    entryPoints: { extension: 'src/vscode/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [tokenizerChunk],
    // The `ponder._test.*` commands (src/vscode/testHooks.d.ts) are left out of what ships:
    // branches guarded by this define are cut at parse time, with the code only they use.
    define: { PONDER_TEST_HOOKS: production ? 'false' : 'true' },
  },
  {
    ...common,
    entryPoints: { tokenizer: TOKENIZER },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: false,
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts', ...Object.fromEntries(CLI_COMMANDS.map((c) => [`cli-${c}`, `src/cli/${c}.ts`])) },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [tokenizerChunk, cliSplit],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.ttf': 'file' },
  },
  // The cost report panel's page: its own small bundle (dist/costReport.js + .css).
  {
    ...common,
    entryPoints: { costReport: 'src/webview/costReport/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
  },
];

/**
 * The sorted o200k vocabulary (src/core/tokens/vocabSlice.ts) ships beside the bundles, so no
 * process has to load the full tables and sort 200k tokens (about a second) before it can count
 * a piece it never saw. Written with the same code that reads it.
 */
async function writeShippedVocab() {
  const tmp = path.join('node_modules', '.cache', 'ponder-build', 'vocab.cjs');
  await esbuild.build({
    stdin: { contents: "export { writeVocab } from './src/core/tokens/vocabSlice'; export { ranks } from './src/core/tokens/o200kFull';", resolveDir: '.', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: tmp,
    logLevel: 'error',
  });
  const { createRequire } = await import('node:module');
  const { writeVocab, ranks } = createRequire(import.meta.url)(path.resolve(tmp));
  writeVocab(path.resolve('dist'), ranks);
  if (!fs.existsSync('dist/o200k-vocab-v2.txt')) throw new Error('esbuild.mjs: could not write dist/o200k-vocab-v2.txt');
  for (const f of fs.readdirSync('dist')) if (f.startsWith('o200k-vocab-')) fs.chmodSync(path.join('dist', f), 0o644); // shipped, not a private cache file
}

fs.mkdirSync('dist', { recursive: true });
await writeShippedVocab();
if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] watching for changes');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  fs.chmodSync('dist/cli.js', 0o755);
  if (production) {
    const leaked = fs.readFileSync('dist/extension.js', 'utf8').match(/ponder\._test\.[A-Za-z]+/g);
    if (leaked) {
      console.error(`esbuild.mjs: the production bundle registers test-only commands (${[...new Set(leaked)].join(', ')}): guard them with PONDER_TEST_HOOKS (src/vscode/testHooks.d.ts).`);
      process.exit(1);
    }
  }
}
