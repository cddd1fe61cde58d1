import * as vscode from 'vscode';
import { TraceStore } from '../core/run/traceStore';
import { SettingsService } from './settings';
import { EndpointState } from './endpoints/state';
import { EffortState } from './endpoints/effort';
import { PonderVisibility } from './endpoints/visibility';
import { SidebarHeader } from './sidebar/header';
import { SpendState } from './spend';
import { VsCodeWorkspacePort } from './workspacePort';
import { ToolRefusals } from '../core/run/toolRefusals';
import { EndpointMemory } from '../core/model/endpointMemory';

/**
 * What activation builds once and hands to every adapter module: the only shared state of the
 * extension. Heavy parts (the openai client, tokenizer tables) are not here: modules load them
 * on first use, so activation stays fast.
 */
export interface PonderServices {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly settings: SettingsService;
  /** Every request's events; the sidebar, trace export and ledger read it. */
  readonly traces: TraceStore;
  /** Profiles, routing rules, Select Endpoint's choice and each server's health. */
  readonly endpoints: EndpointState;
  /** The reasoning effort picked for the next requests. */
  readonly effort: EffortState;
  /** The ledger and the latest spend totals (kept current by the cost module). */
  readonly spend: SpendState;
  /** The sidebar header's data: endpoints, spend and request options set their parts. */
  readonly header: SidebarHeader;
  /** Whether someone can see Ponder (window focus + sidebar shown): health polling runs only then. */
  readonly visibility: PonderVisibility;
  /** The window's workspace port (open documents win, change events keep the context index warm). */
  readonly workspace: VsCodeWorkspacePort;
  /** Endpoints seen to reject tools (function calling) in this window: later requests are not offered them. */
  readonly toolRefusals: ToolRefusals;
  /** Parameters endpoints rejected in this window and the models servers list: later requests leave them out / reuse them. */
  readonly endpointMemory: EndpointMemory;
  /** The one test-mode check (`isTestMode`), made once at activation. */
  readonly testMode: boolean;
}

/** An adapter part: registers its commands, views and providers into `services.context.subscriptions`. */
export interface PonderModule {
  readonly name: string;
  register(services: PonderServices): void;
}

/**
 * Test mode: the integration harness (PONDER_TEST=1) or a development/test extension host, and
 * only in a build that carries the test hooks (never the production bundle).
 */
export function isTestMode(context: Pick<vscode.ExtensionContext, 'extensionMode'>): boolean {
  return PONDER_TEST_HOOKS && (process.env.PONDER_TEST === '1' || context.extensionMode !== vscode.ExtensionMode.Production);
}

/** Builds the shared state once, in activate(); everything it creates is disposed with the extension. */
export function createServices(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): PonderServices {
  const settings = new SettingsService(log);
  const endpoints = new EndpointState(context.workspaceState);
  const services: PonderServices = {
    context,
    log,
    settings,
    traces: new TraceStore(),
    endpoints,
    effort: new EffortState(context.workspaceState),
    spend: new SpendState(),
    header: new SidebarHeader(),
    visibility: new PonderVisibility(),
    workspace: new VsCodeWorkspacePort(),
    toolRefusals: new ToolRefusals(),
    endpointMemory: new EndpointMemory(),
    testMode: isTestMode(context),
  };
  context.subscriptions.push(settings, endpoints, services.effort, services.spend, services.visibility, services.workspace);
  return services;
}
