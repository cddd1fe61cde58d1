import * as vscode from 'vscode';
import { TraceStore } from '../core/run/traceStore';
import type { SettingsService } from './settings';

/**
 * What activation builds once and every adapter module shares. Heavy parts (the openai client,
 * tokenizer tables) are not here: modules load them on first use, so activation stays fast.
 */
export interface PonderServices {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly settings: SettingsService;
  /** Every request's events; the sidebar, trace export and ledger read it. */
  readonly traces: TraceStore;
}

export function createTraceStore(): TraceStore {
  return new TraceStore();
}
