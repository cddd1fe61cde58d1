import * as vscode from 'vscode';
import { HealthPoller, type HealthState, type RequestOutcome } from '../../core/health';
import type { StoreListener } from '../../core/run/traceStore';
import { withServerContextWindow } from '../../core/model/profiles';
import { applyServerWindow, asksServerWindow } from '../../core/model/serverWindow';
import type { ModelInfo, ResolvedProfile } from '../../core/model/types';
import { getApiKey } from '../secrets';
import type { PonderModule, PonderServices } from '../services';
import { ADD_ENDPOINT, pickEndpoint } from '../endpoints/picker';
import { addEndpoint } from '../endpoints/addEndpoint';
import { routingConfigFromSettings, type RoutingConfig } from '../../core/routing';
import type { EndpointState } from '../endpoints/state';
import { EndpointStatusBar } from '../endpoints/statusBar';

/**
 * Endpoints: Select Endpoint, the status bar item, routing rules checked against the profiles,
 * and health polling of configured vLLM servers while Ponder is visible.
 */
export const endpointsModule: PonderModule = {
  name: 'endpoints',
  register: registerEndpoints,
};

function registerEndpoints(services: PonderServices): void {
  const { context, settings, log, endpoints: endpointState, header: sidebarHeader, visibility: ponderVisibility } = services;
  /** `max_model_len` read once from each configured vLLM server: its real window. */
  const serverModels = new Map<string, ModelInfo[]>();
  const asking = new Set<string>();
  /** When each server last failed to answer: asked again before a request, at most every 10 s. */
  const failedAt = new Map<string, number>();

  const poller = new HealthPoller({
    intervalSeconds: 0, // set from the setting in reload(), after the first read
    onUpdate: (id, state, newWarnings) => onHealth(id, state, newWarnings),
    onError: (id, err) => log.error(`Ponder: could not show the health of endpoint "${id}": ${err instanceof Error ? err.stack ?? err.message : String(err)}`),
  });

  const reload = (report: boolean) => {
    const raw = vscode.workspace.getConfiguration();
    const base = routingConfigFromSettings(settings.get('ponder.endpoints'), raw.get('ponder.routing'), settings.get('ponder.defaultEndpoint'));
    const cfg = withServerWindows(base, serverModels);
    endpointState.setConfig(cfg);
    // Every profile whose window is assumed (the built-in default included) asks its server once.
    for (const p of base.profiles) {
      const key = serverKeyOf(p);
      if (asksServerWindow(p) && !serverModels.has(key) && !asking.has(key)) endpointState.trackWindowRead(readServerWindow(p, key));
    }
    const setup = { profiles: cfg.configured.length, defaultLabel: cfg.configured.length ? safeRouteLabel(endpointState) : undefined };
    if (JSON.stringify(sidebarHeader.get().setup) !== JSON.stringify(setup)) sidebarHeader.set({ setup });
    poller.setIntervalSeconds(settings.get('ponder.health.pollSeconds'));
    poller.setTargets(cfg.configured, cfg.profiles); // only configured vLLM servers are polled; every profile keeps request health
    if (report && cfg.problems.length) settings.report(cfg.problems);
  };

  const onHealth = (id: string, state: HealthState, newWarnings: string[]) => {
    const before = endpointState.health(id)?.state;
    endpointState.setHealth(id, state);
    const label = endpointState.config.profiles.find((p) => p.id === id)?.label ?? id;
    if (before !== state.state) log.info(`Ponder: endpoint "${id}" is ${state.state}: ${state.detail}`);
    let routedTo: string | undefined;
    try {
      const route = endpointState.activeRoute();
      if (route.switchedFrom?.id === id) routedTo = route.profile.label;
    } catch { /* no profile to route to */ }
    for (const w of newWarnings) {
      log.warn(`Ponder: endpoint "${id}": ${w}`);
      const meanwhile = routedTo ? ` Requests go to ${routedTo} (fallback rule) while it lasts.` : '';
      void vscode.window.showWarningMessage(`Ponder: ${label}: ${w}.${meanwhile}`, 'Select Endpoint').then((c) => {
        if (c) void vscode.commands.executeCommand('ponder.selectEndpoint');
      });
    }
    // A server that was down when first asked is asked again once it answers.
    const p = endpointState.config.profiles.find((x) => x.id === id);
    const key = p && serverKeyOf(p);
    if (p && key && state.state !== 'down' && !serverModels.get(key)?.length && !asking.has(key)) {
      serverModels.delete(key);
      endpointState.trackWindowRead(readServerWindow(p, key));
    }
  };

  /** Never rejects: a failure (the key store, a bad answer) is logged and the window stays assumed. */
  const readServerWindow = async (profile: ResolvedProfile, key: string): Promise<void> => {
    asking.add(key);
    try {
      // The shared rule (core/model/serverWindow): the key stored for this profile goes only to its own server.
      const apiKey = profile.auth === 'apiKey' ? await getApiKey(services, profile.id) : undefined;
      const r = await applyServerWindow(profile, apiKey, { timeoutMs: 5000 });
      serverModels.set(key, r.models ?? []);
      if (r.models) {
        if (r.profile.contextWindow !== profile.contextWindow) log.info(`Ponder: endpoint "${profile.id}" serves a ${r.profile.contextWindow.toLocaleString('en-US')}-token window (${r.profile.model ?? 'its model'}, from ${profile.baseUrl}/models); ${r.profile.maxOutputTokens.toLocaleString('en-US')} kept for the answer.`);
        reload(false);
      } else {
        failedAt.set(key, Date.now());
        log.debug(`Ponder: could not read the models of "${profile.id}" (${profile.baseUrl}): ${r.error ?? 'no answer'}`);
      }
    } catch (err) {
      failedAt.set(key, Date.now());
      log.warn(`Ponder: could not read the context window of "${profile.id}" (${profile.baseUrl}): ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      asking.delete(key);
    }
  };

  endpointState.setWindowRefresher(() => {
    for (const p of endpointState.config.profiles) {
      const key = serverKeyOf(p);
      if (!asksServerWindow(p) || asking.has(key) || serverModels.get(key)?.length) continue;
      if (serverModels.has(key) && Date.now() - (failedAt.get(key) ?? 0) < 10_000) continue;
      endpointState.trackWindowRead(readServerWindow(p, key));
    }
  });

  const statusBar = new EndpointStatusBar(services);
  context.subscriptions.push(
    services.traces.onChange(noteRequestOutcomes(services, (id, outcome) => poller.noteRequest(id, outcome))),
    { dispose: () => poller.dispose() },
    statusBar,
    ponderVisibility.onDidChange((visible) => poller.setVisible(visible)),
    settings.onDidChange(() => reload(true)),
    vscode.commands.registerCommand('ponder.addEndpoint', () => addEndpoint(services)),
    vscode.commands.registerCommand('ponder.selectEndpoint', async () => {
      const picked = await pickEndpoint(services, () => poller.pollNow());
      if (picked === null) return;
      if (picked === ADD_ENDPOINT) { await vscode.commands.executeCommand('ponder.addEndpoint'); return; }
      await endpointState.select(picked);
      log.info(`Ponder: endpoint ${picked ? `"${picked}" selected` : 'set to automatic (routing rules)'} for this workspace.`);
    }),
  );
  if (PONDER_TEST_HOOKS && services.testMode) {
    context.subscriptions.push(
      vscode.commands.registerCommand('ponder._test.endpoints', () => ({
        statusBar: statusBar.lastText,
        header: sidebarHeader.get().endpoint,
        setup: sidebarHeader.get().setup,
        selected: endpointState.selected,
        health: Object.fromEntries(endpointState.healthMap()),
        polling: { active: poller.active, count: poller.pollCount, visible: poller.isVisible, windowFocused: ponderVisibility.windowFocused, sidebarVisible: ponderVisibility.sidebarVisible },
      })),
      vscode.commands.registerCommand('ponder._test.pollHealth', () => poller.pollNow()),
      vscode.commands.registerCommand('ponder._test.selectEndpoint', (id?: string) => endpointState.select(id)),
    );
  }
  // Read settings after activation returns, like the settings service, so start-up stays fast.
  setTimeout(() => {
    reload(true);
    poller.setVisible(ponderVisibility.visible);
  }, 0);
}

/** Server models are kept per profile and URL: a changed baseUrl is asked again. */
function serverKeyOf(p: ResolvedProfile): string {
  return `${p.id}\u0000${p.baseUrl}`;
}

/**
 * Turns each finished request into a health signal for its endpoint: one that worked, or one that
 * never reached a server (refused, DNS, TLS, no answer in time). Cancelled requests say nothing.
 */
function noteRequestOutcomes(services: PonderServices, note: (id: string, outcome: RequestOutcome) => void): StoreListener {
  const unreachable = new Map<string, string>();
  const failed = new Set<string>();
  return ({ event: e }) => {
    if (!e) return;
    if (e.type === 'error') {
      failed.add(e.requestId);
      if (e.kind === 'connection' || (e.kind === 'timeout' && e.status === undefined)) unreachable.set(e.requestId, e.message);
      return;
    }
    if (e.type !== 'request.end') return;
    const endpoint = services.traces.get(e.requestId)?.summary.endpoint;
    const lost = unreachable.get(e.requestId);
    const ok = !failed.has(e.requestId) && e.finishReason !== 'error' && e.finishReason !== 'cancelled';
    unreachable.delete(e.requestId);
    failed.delete(e.requestId);
    if (endpoint && (ok || lost)) note(endpoint, { atMs: Date.now(), ok, unreachable: lost });
  };
}

function safeRouteLabel(endpointState: EndpointState): string | undefined {
  try { return endpointState.activeRoute().profile.label; } catch { return undefined; }
}

function withServerWindows(cfg: RoutingConfig, models: Map<string, ModelInfo[]>): RoutingConfig {
  const fix = <T extends RoutingConfig['profiles'][number]>(p: T) => {
    const found = models.get(serverKeyOf(p));
    return found?.length ? withServerContextWindow(p, found) : p;
  };
  const configured = cfg.configured.map(fix);
  const profiles = cfg.profiles.map((p) => configured.find((c) => c.id === p.id) ?? fix(p));
  return { ...cfg, configured, profiles };
}
