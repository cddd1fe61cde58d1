import * as vscode from 'vscode';
import { SettingsService } from './settings';
import { createTraceStore, type PonderServices } from './services';
import { MODULES } from './modules';

let activatedInMs = -1;

/** Time the last `activate()` took, read by the activation benchmark through the exported API. */
export interface PonderApi {
  readonly activationMs: number;
  readonly services: PonderServices;
}

export function activate(context: vscode.ExtensionContext): PonderApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Ponder', { log: true });
  const settings = new SettingsService(log);
  const services: PonderServices = { context, log, settings, traces: createTraceStore() };
  context.subscriptions.push(log, settings);
  for (const mod of MODULES) {
    try {
      mod.register(services);
    } catch (err) {
      log.error(`Ponder could not start its ${mod.name} part: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }
  // Validate settings after start-up so a bad value is reported without delaying activation.
  setTimeout(() => void settings.current, 0);
  activatedInMs = performance.now() - started;
  log.info(`Ponder activated in ${activatedInMs.toFixed(1)} ms`);
  return { get activationMs() { return activatedInMs; }, services };
}

export function deactivate(): void {}
