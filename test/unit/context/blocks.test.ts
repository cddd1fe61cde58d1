import assert from 'node:assert/strict';
import { enclosingBlock, parseBlocks, topLevelSymbols } from '../../../src/core/context/blocks';

const SRC = `import { a } from './a'

/**
 * Docs for foo.
 */
export function foo(x: number) {
  const s = \`template \${x} with } brace\`
  // a comment with { brace
  return x + 1
}

export class Big {
${Array.from({ length: 70 }, (_, i) => `  method${i}() {\n    return '${i} }'\n  }`).join('\n')}
}

type Alias =
  | 'a'
  | 'b'

const value = compute()
  .then((r) => r)
`;

describe('block parser', () => {
  const blocks = parseBlocks(SRC);
  const lines = SRC.split('\n');

  it('keeps doc comments with their declaration and ignores braces in strings and comments', () => {
    const foo = blocks.find((b) => b.name === 'foo')!;
    assert.equal(lines[foo.start - 1], '/**');
    assert.equal(lines[foo.end - 1], '}');
    assert.equal(foo.end - foo.start + 1, 8);
  });

  it('joins continuation lines of no-semicolon code into one block', () => {
    const alias = blocks.find((b) => b.name === 'Alias')!;
    assert.equal(alias.end - alias.start, 2);
    const value = blocks.find((b) => b.name === 'value')!;
    assert.equal(value.end - value.start, 1);
  });

  it('splits a big class into its members and finds the enclosing member', () => {
    const big = blocks.find((b) => b.name === 'Big')!;
    assert.ok(big.children && big.children.length === 70);
    const line = lines.findIndex((l) => l.includes("return '40 }'")) + 1;
    const m = enclosingBlock(blocks, line, line)!;
    assert.equal(m.name, 'method40');
    assert.equal(m.end - m.start, 2);
  });

  it('lists top-level symbols with their lines', () => {
    const syms = topLevelSymbols(SRC);
    assert.deepEqual(syms.map((s) => s.name), ['foo', 'Big', 'Alias', 'value']);
    assert.equal(lines[syms[0].line - 1].startsWith('export function foo'), true);
  });
});
