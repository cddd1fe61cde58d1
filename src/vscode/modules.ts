import type { PonderServices } from './services';
import { keysModule } from './modules/keys';
import { contextModule } from './modules/context';
import { sidebarModule } from './modules/sidebar';
import { costModule } from './modules/cost';
import { endpointsModule } from './modules/endpoints';
import { chatModule } from './modules/chat';
import { requestOptionsModule } from './modules/requestOptions';

/** An adapter part: registers its commands, views and providers into `services.context.subscriptions`. */
export interface PonderModule {
  readonly name: string;
  register(services: PonderServices): void;
}

/** Each part owns one file under ./modules; the order is the order of registration. */
export const MODULES: PonderModule[] = [keysModule, contextModule, sidebarModule, costModule, endpointsModule, requestOptionsModule, chatModule];
