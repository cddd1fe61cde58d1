import assert from 'node:assert/strict';
import { packContext } from '../../../src/core/context/engine';
import { NodeWorkspace } from '../../../src/core/context/nodeWorkspace';
import { configureTokenCache } from '../../../src/core/tokens';
import { filler, rm, tempRepo } from './helpers';

/** A plugin module: one function that matches the request among `n` unrelated ones. */
function plugin(i: number, n: number): string {
  const head = filler(`plugin${i}Step`, n / 2);
  const tail = filler(`plugin${i}Other`, n / 2);
  return `${head}\nexport function registerWidgetTheme${i}(theme: WidgetTheme) {\n  themes.set('widget-${i}', theme)\n}\n\n${tail}`;
}

describe('packing within the budget', () => {
  let root: string;
  before(() => configureTokenCache(null));
  afterEach(() => rm(root));

  it('a small budget shows the matching part of many files rather than much of a few', async () => {
    const files: Record<string, string> = { 'package.json': '{"name":"demo"}' };
    for (let i = 0; i < 30; i++) files[`src/plugins/plugin${i}.ts`] = plugin(i, 40);
    root = tempRepo(files);
    const p = await packContext({ query: 'register widget theme', budget: 8000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    const plugins = p.items.filter((i) => i.path.startsWith('src/plugins/'));
    // Each file's excerpt holds its registerWidgetTheme function.
    for (const it of plugins) assert.match(it.text, /export function registerWidgetTheme\d+/, it.path);
    assert.ok(plugins.length >= 20, `${plugins.length} of the 30 matching files are packed`);
  });

  it('a huge file that matches best shows its matching parts and leaves room for every other matching file', async () => {
    const files: Record<string, string> = { 'package.json': '{"name":"demo"}' };
    // About 60K tokens, with the request's words in many of its functions.
    files['src/widget/theme.ts'] = Array.from({ length: 60 }, (_, i) => plugin(100 + i, 40)).join('\n');
    for (let i = 0; i < 30; i++) files[`src/plugins/plugin${i}.ts`] = plugin(i, 40);
    root = tempRepo(files);
    const p = await packContext({ query: 'register widget theme', budget: 32000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    const huge = p.items.find((i) => i.path === 'src/widget/theme.ts');
    assert.ok(huge?.ranges, 'the huge file is packed as excerpts');
    const plugins = p.items.filter((i) => i.path.startsWith('src/plugins/'));
    assert.equal(plugins.length, 30, `${plugins.length} of the 30 other matching files are packed`);
    for (const it of plugins) assert.match(it.text, /export function registerWidgetTheme\d+/, it.path);
  });

  it('an excerpt that starts inside a multi-line signature shows the line that opens it', async () => {
    const cases = Array.from({ length: 40 }, (_, i) => `      it('case ${i}', async () => {\n        await func(${i})\n      })`).join('\n');
    const text = `import { drag, resize } from './frame'\n\ndescribe('frames', () => {\n  const commonTestCases = async (\n    func: typeof drag | typeof resize,\n  ) => {\n    describe('when the frame is below', () => {\n${cases}\n    })\n  }\n})\n`;
    root = tempRepo({ 'package.json': '{"name":"demo"}', 'src/frame.test.ts': text, 'src/frame.ts': 'export const drag = () => 1\nexport const resize = () => 2\n' });
    const p = await packContext({ query: 'frames: resize', activeFile: 'src/frame.test.ts', selection: [5, 5], budget: 600, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    const item = p.items.find((i) => i.path === 'src/frame.test.ts');
    assert.ok(item?.ranges, 'the test file is excerpted');
    assert.ok(item.ranges.some(([a, b]) => a <= 4 && b >= 5), `the signature's first line is shown with the selected parameter: ${JSON.stringify(item.ranges)}`);
    assert.match(item.text, /const commonTestCases = async \(\n\s+func: typeof drag/);
  });

  it('a cursor on a blank line between two functions of a big active file: that line and the functions around it are sent', async () => {
    // About 20K tokens: too big to send whole at 3K; the selected line is the blank one after renderHeader.
    const head = filler('layoutStep', 400);
    const lines = head.split('\n').length;
    const text = `${head}\nexport function renderHeader(title: string) {\n  return '<h1>' + title + '</h1>'\n}\n\nexport function renderFooter(note: string) {\n  return '<p>' + note + '</p>'\n}\n\n${filler('paintStep', 400)}`;
    const blank = lines + 4;
    root = tempRepo({ 'package.json': '{"name":"demo"}', 'src/page.ts': text });
    assert.equal(text.split('\n')[blank - 1], '', 'the selected line is blank');
    const p = await packContext({ query: 'add a subtitle renderer', activeFile: 'src/page.ts', selection: [blank, blank], budget: 3000, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    const item = p.items.find((i) => i.path === 'src/page.ts');
    assert.ok(item?.ranges, 'the active file is excerpted');
    assert.ok(item.ranges.some(([a, b]) => a <= blank - 3 && b >= blank + 3), `the selected line ${blank} with the functions on both sides: ${JSON.stringify(item.ranges)}`);
    assert.match(item.text, /export function renderHeader[\s\S]*export function renderFooter/);
  });
  it('a short function about the request shows before a long one that mentions its words in passing', async () => {
    const steps = Array.from({ length: 54 }, (_, i) => `  step${i}(res)`).join('\n');
    const client = `${filler('clientStep', 12)}\nexport function handleResponse(res: Res) {\n  // parse the body; a retry may follow after a delay, see the header (in seconds)\n${steps}\n}\n\n${filler('clientMore', 12)}\nexport function parseRetryHeader(value: string) {\n  const n = Number(value)\n  return n\n}\n\n${filler('clientTail', 12)}`;
    root = tempRepo({ 'package.json': '{"name":"demo"}', 'src/client.ts': client });
    const p = await packContext({ query: 'parse the retry-after header as a delay in seconds', budget: 330, repoMap: false }, new NodeWorkspace([root]), { git: false, cacheDir: null });
    const item = p.items.find((i) => i.path === 'src/client.ts');
    assert.ok(item?.ranges, 'the file is excerpted');
    assert.match(item.text, /export function parseRetryHeader\(value: string\) \{\n {2}const n = Number\(value\)/);
  });
});
