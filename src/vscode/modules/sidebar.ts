import type { PonderModule } from '../services';
import { registerSidebar } from '../sidebar/register';

/** The Ponder sidebar: the trace view, showTrace / exportTrace / clearHistory. */
export const sidebarModule: PonderModule = {
  name: 'sidebar',
  register: registerSidebar,
};
