// One build script: the extension and CLI for Node (cjs), the sidebar for the browser.
import * as esbuild from 'esbuild';
import fs from 'node:fs';

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

/** Which file the webview host page needs, written next to the bundle. */
const targets = [
  {
    ...common,
    entryPoints: { extension: 'src/vscode/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The CLI runs where its dependencies are installed; gpt-tokenizer's 4 MB of rank tables stay
    // out of the bundle so every `ponder context` call does not compile them (loaded on first miss).
    external: ['gpt-tokenizer'],
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

fs.mkdirSync('dist', { recursive: true });
if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] watching for changes');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  fs.chmodSync('dist/cli.js', 0o755);
}
