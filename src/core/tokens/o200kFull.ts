/**
 * The full o200k_base tokenizer and its rank table. Bundled on its own as dist/tokenizer.js
 * (several MB of tables) and loaded only when a count needs it (counter.ts). `require`, because
 * gpt-tokenizer exports its CommonJS files under the require condition only.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const encoding = require('gpt-tokenizer/cjs/encoding/o200k_base') as typeof import('gpt-tokenizer/cjs/encoding/o200k_base');
const table = require('gpt-tokenizer/cjs/bpeRanks/o200k_base') as typeof import('gpt-tokenizer/cjs/bpeRanks/o200k_base');

export const countTokens = encoding.countTokens;
export const ranks = table.default;
