import * as vscode from 'vscode';
import { createServices, type PonderServices } from './services';
import { MODULES } from './modules';

/** Time the last `activate()` took, read by the activation benchmark through the exported API. */
export interface PonderApi {
  readonly activationMs: number;
  readonly services: PonderServices;
}

/** The composition root: the shared state is made here, once, and handed to each module. */
export function activate(context: vscode.ExtensionContext): PonderApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Ponder', { log: true });
  context.subscriptions.push(log);
  const services = createServices(context, log);
  for (const mod of MODULES) {
    try {
      mod.register(services);
    } catch (err) {
      log.error(`Ponder could not start its ${mod.name} part: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }
  // Validate settings after start-up so a bad value is reported without delaying activation.
  setTimeout(() => void services.settings.current, 0);
  const activationMs = performance.now() - started;
  log.info(`Ponder activated in ${activationMs.toFixed(1)} ms`);
  return { activationMs, services };
}

export function deactivate(): void {}
