import type { PonderModule } from '../modules';

/** Registers nothing yet: its owner replaces this file. */
export const keysModule: PonderModule = {
  name: 'keys',
  register() {},
};
