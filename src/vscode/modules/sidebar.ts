import type { PonderModule } from '../modules';

/** Registers nothing yet: its owner replaces this file. */
export const sidebarModule: PonderModule = {
  name: 'sidebar',
  register() {},
};
