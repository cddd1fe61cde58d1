import type { PonderModule } from './services';
import { keysModule } from './modules/keys';
import { contextModule } from './modules/context';
import { sidebarModule } from './modules/sidebar';
import { costModule } from './modules/cost';
import { endpointsModule } from './modules/endpoints';
import { chatModule } from './modules/chat';
import { requestOptionsModule } from './modules/requestOptions';

/**
 * Each part owns one file under ./modules (or its own folder) and gets everything shared through
 * `PonderServices`; the order is the order of registration. Adding a part: import it, list it here.
 */
export const MODULES: readonly PonderModule[] = [keysModule, contextModule, sidebarModule, costModule, endpointsModule, requestOptionsModule, chatModule];
