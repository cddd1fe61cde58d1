import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createExcludeRule } from '../../../src/core/tools/walk';
import { makeRunner, tempWorkspace } from './helpers';

describe('read-only tools', () => {
  let ws: { root: string; cleanup(): void };
  beforeEach(() => {
    ws = tempWorkspace({
      'src/router.ts': 'export function parseRoute(url: string) {\n  return url.split("/");\n}\n',
      'src/app.ts': 'import { parseRoute } from "./router";\nconst parts = parseRoute("/a/b");\nconsole.log(parts);\n',
      'src/notes.md': 'see parseRoute\n',
      'README.md': '# demo\n',
      '.env': 'API_TOKEN=supersecretvalue123\n',
      '.gitignore': 'build/\n',
      'build/out.js': 'parseRoute()\n',
    });
  });
  afterEach(() => ws.cleanup());

  it('read_file returns the file and runs without asking', async () => {
    const { call, events } = makeRunner({ root: ws.root });
    const r = await call('read_file', { path: 'src/router.ts' });
    assert.equal(r.ok, true);
    assert.match(r.content, /export function parseRoute/);
    assert.deepEqual(events.map((e) => e.type), ['tool.call', 'tool.result']);
  });

  it('read_file reads line ranges and truncates long files with a marker saying how to read on', async () => {
    const long = Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`).join('\n');
    fs.writeFileSync(path.join(ws.root, 'long.txt'), long);
    const { call } = makeRunner({ root: ws.root });
    const ranged = await call('read_file', { path: 'long.txt', ranges: [{ start_line: 10, end_line: 12 }] });
    assert.match(ranged.content, /line 10\nline 11\nline 12/);
    assert.doesNotMatch(ranged.content, /line 13\b/);
    const whole = await call('read_file', { path: 'long.txt' });
    assert.match(whole.content, /\[… truncated at line 1501 of 5000: read the rest with ranges/);
  });

  for (const [label, p] of [['../', '../outside.txt'], ['absolute', '/etc/passwd'], ['nested ..', 'src/../../x']] as const) {
    it(`refuses the path ${p} (${label}) and tells the model why`, async () => {
      const { call, events } = makeRunner({ root: ws.root });
      const r = await call('read_file', { path: p });
      assert.equal(r.ok, false);
      assert.match(r.content, /refused/);
      const result = events.find((e) => e.type === 'tool.result');
      assert.equal(result?.type === 'tool.result' && result.ok, false);
    });
  }

  it('refuses a symlink that leaves the workspace (realpath check)', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ponder-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'outside data');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(ws.root, 'link.txt'));
    fs.symlinkSync(outside, path.join(ws.root, 'linkdir'));
    try {
      const { call } = makeRunner({ root: ws.root });
      for (const p of ['link.txt', 'linkdir/secret.txt']) {
        const r = await call('read_file', { path: p });
        assert.equal(r.ok, false, p);
        assert.match(r.content, /symbolic link .* outside the workspace/);
        assert.doesNotMatch(r.content, /outside data/);
      }
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('refuses secret files, also behind an innocent-looking symlink', async () => {
    fs.symlinkSync(path.join(ws.root, '.env'), path.join(ws.root, 'notes.txt'));
    const { call } = makeRunner({ root: ws.root });
    for (const p of ['.env', 'notes.txt']) {
      const r = await call('read_file', { path: p });
      assert.equal(r.ok, false);
      assert.match(r.content, /secret file/);
      assert.doesNotMatch(r.content, /supersecretvalue/);
    }
  });

  it('returns a clear error for bad arguments, malformed JSON and unknown tools', async () => {
    const { call } = makeRunner({ root: ws.root });
    const wrongType = await call('read_file', { path: 42 });
    assert.match(wrongType.content, /argument 'path' must be a string \(got the number 42\)/);
    const missing = await call('read_file', {});
    assert.match(missing.content, /argument 'path' is required \(a string\)/);
    const extra = await call('read_file', { path: 'README.md', mode: 'x' });
    assert.match(extra.content, /unknown argument 'mode'/);
    const malformed = await call('read_file', '{"path": "README.md"');
    assert.match(malformed.content, /not valid JSON/);
    const unknown = await call('delete_everything', {});
    assert.match(unknown.content, /no tool named "delete_everything".*Available tools: read_file/);
  });

  it('read_file redacts credential-looking lines in ordinary files', async () => {
    fs.writeFileSync(path.join(ws.root, 'src/client.ts'), 'const apiKey = "sk-proj-abcdefghijklmnopqrstuvwxyz123456";\nexport const x = 1;\n');
    const { call } = makeRunner({ root: ws.root });
    const r = await call('read_file', { path: 'src/client.ts' });
    assert.doesNotMatch(r.content, /sk-proj-abcdefghijklmnopqrstuvwxyz123456/);
    assert.match(r.content, /REDACTED/);
    assert.match(r.content, /export const x = 1;/);
  });

  it('files excluded by .ponderignore or ponder.context.exclude are refused, unlisted and unsearched', async () => {
    fs.writeFileSync(path.join(ws.root, '.ponderignore'), 'private/\n');
    fs.mkdirSync(path.join(ws.root, 'private'));
    fs.writeFileSync(path.join(ws.root, 'private/plan.md'), 'parseRoute rewrite plan\n');
    const { call } = makeRunner({ root: ws.root });
    const read = await call('read_file', { path: 'private/plan.md' });
    assert.match(read.content, /excluded by \.ponderignore or "ponder\.context\.exclude"/);
    assert.doesNotMatch((await call('list_files', {})).content, /private\/plan\.md/);
    assert.doesNotMatch((await call('search_text', { query: 'rewrite plan' })).content, /private/);
    const viaSetting = makeRunner({ root: ws.root, deps: { isExcluded: createExcludeRule(['*.md']) } });
    assert.match((await viaSetting.call('read_file', { path: 'README.md' })).content, /excluded/);
  });

  it('list_files respects .gitignore and globs', async () => {
    const { call } = makeRunner({ root: ws.root });
    const all = await call('list_files', {});
    assert.match(all.content, /src\/router\.ts/);
    assert.doesNotMatch(all.content, /build\/out\.js/);
    const ts = await call('list_files', { dir: 'src', glob: '*.ts' });
    assert.match(ts.content, /^2 files under src matching \*\.ts:/);
    assert.doesNotMatch(ts.content, /notes\.md/);
  });

  it('search_text finds literal and regex matches, never inside secret files', async () => {
    const { call } = makeRunner({ root: ws.root });
    const lit = await call('search_text', { query: 'parseRoute(' });
    assert.match(lit.content, /src\/app\.ts:2: const parts = parseRoute\("\/a\/b"\);/);
    const re = await call('search_text', { query: 'API_\\w+', regex: true });
    assert.match(re.content, /No matches/);
    const bad = await call('search_text', { query: '(unclosed', regex: true });
    assert.match(bad.content, /not a valid regular expression/);
    const evil = await call('search_text', { query: '(a+)+$', regex: true });
    assert.match(evil.content, /nested quantifier/);
    const fine = await call('search_text', { query: '(export|import) \\w+', regex: true });
    assert.match(fine.content, /src\/router\.ts:1/);
  });

  it('find_symbol falls back to text search: definitions first, then references', async () => {
    const { call } = makeRunner({ root: ws.root });
    const r = await call('find_symbol', { name: 'parseRoute' });
    assert.match(r.content, /text search/);
    assert.match(r.content, /Definitions:\nsrc\/router\.ts:1: export function parseRoute/);
    assert.match(r.content, /References:[\s\S]*src\/app\.ts:2/);
  });

  it('find_symbol uses the host\'s language services when it has them', async () => {
    const { call } = makeRunner({ root: ws.root, host: { findSymbol: async () => [{ path: 'src/router.ts', line: 1, text: 'parseRoute', kind: 'definition' }] } });
    const r = await call('find_symbol', { name: 'parseRoute', kind: 'definitions' });
    assert.match(r.content, /language services/);
  });

  it('get_diagnostics is offered only when the host can answer', async () => {
    const without = makeRunner({ root: ws.root });
    assert.equal(without.tools.some((t) => t.name === 'get_diagnostics'), false);
    const withDiags = makeRunner({ root: ws.root, host: { diagnostics: async () => [{ path: path.join(ws.root, 'src/app.ts'), line: 2, severity: 'error', message: 'boom', source: 'ts' }] } });
    const r = await withDiags.call('get_diagnostics', { path: 'src/app.ts' });
    assert.match(r.content, /src\/app\.ts:2 error \(ts\): boom/);
  });

  it('git_diff shows the working-tree diff and withholds secret files', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'ignore' });
    git('init', '-q');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '-f', '.');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
    fs.appendFileSync(path.join(ws.root, 'src/router.ts'), '// changed\n');
    fs.appendFileSync(path.join(ws.root, '.env'), 'OTHER=leakedvalue999\n');
    const { call } = makeRunner({ root: ws.root });
    const r = await call('git_diff', {});
    assert.match(r.content, /\+\/\/ changed/);
    assert.match(r.content, /\.env\n\[diff withheld: secret or excluded file\]/);
    assert.doesNotMatch(r.content, /leakedvalue999/);
  });
});
