/** Bad usage or config: the message names the flag or setting at fault; the command exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
