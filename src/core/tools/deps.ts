import { neutralizeSpecialTokens } from '../context/render';
import { isSecretPath, redactSecrets } from '../context/secrets';
import { countTokens } from '../tokens';
import type { ToolDeps } from './types';
import { createExcludeRule } from './walk';

/**
 * The context engine's rules, applied to tools too: same tokenizer, same secret rules, and
 * special-token text (`<|endoftext|>`) made inert so it reaches the model as text.
 */
export const defaultToolDeps: ToolDeps = {
  countTokens,
  isSecretPath,
  redactSecrets: (text) => neutralizeSpecialTokens(redactSecrets(text).text),
  isExcluded: createExcludeRule(),
};
