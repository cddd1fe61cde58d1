import type { PonderServices } from './services';

/** An adapter part: registers its commands, views and providers into `services.context.subscriptions`. */
export interface PonderModule {
  readonly name: string;
  register(services: PonderServices): void;
}

/** Each part owns one file under ./modules; the order is the order of registration. */
export const MODULES: PonderModule[] = [];
