/**
 * o200k_base's pre-tokenizer: the regex that splits text into the pieces that are then encoded
 * one by one. Taken from gpt-tokenizer itself (its `encodingParams/constants` module, which
 * holds only the split expressions), so the pieces we cache counts for are exactly the ones the
 * tokenizer encodes. `require`, because gpt-tokenizer exports its CommonJS files under the
 * require condition only.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { O200K_TOKEN_SPLIT_REGEX } = require('gpt-tokenizer/cjs/encodingParams/constants') as typeof import('gpt-tokenizer/cjs/encodingParams/constants');

/** A fresh instance of the split expression (global, Unicode): each holds its own lastIndex. */
export function pieceSplitter(): RegExp {
  return new RegExp(O200K_TOKEN_SPLIT_REGEX.source, O200K_TOKEN_SPLIT_REGEX.flags);
}
