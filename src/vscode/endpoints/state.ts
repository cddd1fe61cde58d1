import * as vscode from 'vscode';
import type { HealthState } from '../../core/health';
import type { ResolvedProfile } from '../../core/model/types';
import { chooseEndpoint, routingConfigFromSettings, type Route, type RoutingConfig } from '../../core/routing';
import type { EndpointChoice } from '../../core/run/types';

/** workspaceState key of the endpoint chosen with "Ponder: Select Endpoint" (absent: automatic). */
export const SELECTED_ENDPOINT_KEY = 'ponder.selectedEndpoint';

/**
 * The endpoint side of the extension that other parts read: the profiles, the validated rules,
 * the explicit choice and each vLLM server's health. The chat participant and the palette
 * commands pass `services.endpoints.choice()` to `runRequest` as its `endpoint`. One per window,
 * made in activate() (services.ts).
 */
export class EndpointState implements vscode.Disposable {
  private cfg: RoutingConfig = routingConfigFromSettings([], [], '');
  private readonly healthById = new Map<string, HealthState>();
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly healthEmitter = new vscode.EventEmitter<string>();
  /** Profiles, rules or the explicit choice changed (not fired for health: that is every poll). */
  readonly onDidChange = this.emitter.event;
  /** A server's health was read again; the argument is its profile id. */
  readonly onDidChangeHealth = this.healthEmitter.event;

  private readonly windowReads = new Set<Promise<void>>();

  /**
   * A server is being asked for its window (core/model/serverWindow); requests wait for it briefly.
   * The read reports its own failures (it never rejects); a rejection would only end the wait.
   */
  trackWindowRead(read: Promise<void>): void {
    this.windowReads.add(read);
    const done = () => { this.windowReads.delete(read); };
    read.then(done, done);
  }

  private refresher: (() => void) | undefined;

  /** How to ask again servers that did not answer before (they may have started since). */
  setWindowRefresher(fn: () => void): void {
    this.refresher = fn;
  }

  /**
   * Before a request: servers that did not answer are asked again, and the request waits (up to
   * `ms`) for any answer under way, so it packs for the real window.
   */
  async windowsKnown(ms = 5000): Promise<void> {
    this.refresher?.();
    if (!this.windowReads.size) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.allSettled([...this.windowReads]), new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  constructor(private readonly memento: vscode.Memento) {}

  dispose(): void {
    this.emitter.dispose();
    this.healthEmitter.dispose();
  }

  get config(): RoutingConfig {
    return this.cfg;
  }

  setConfig(cfg: RoutingConfig): void {
    const same = JSON.stringify([cfg.profiles, cfg.rules, cfg.defaultId]) === JSON.stringify([this.cfg.profiles, this.cfg.rules, this.cfg.defaultId]);
    this.cfg = cfg;
    if (same) return; // another ponder.* setting changed: nothing for listeners to redo
    const ids = new Set(cfg.configured.map((p) => p.id));
    for (const id of [...this.healthById.keys()]) if (!ids.has(id)) this.healthById.delete(id);
    this.emitter.fire();
  }

  /** The profile chosen with Select Endpoint, if it still exists. */
  get selected(): string | undefined {
    const id = this.memento.get<string>(SELECTED_ENDPOINT_KEY);
    return id && this.cfg.profiles.some((p) => p.id === id) ? id : undefined;
  }

  async select(id: string | undefined): Promise<void> {
    await this.memento.update(SELECTED_ENDPOINT_KEY, id);
    this.emitter.fire();
  }

  health(id: string): HealthState | undefined {
    return this.healthById.get(id);
  }

  healthMap(): ReadonlyMap<string, HealthState> {
    return this.healthById;
  }

  setHealth(id: string, state: HealthState): void {
    this.healthById.set(id, state);
    this.healthEmitter.fire(id);
  }

  /**
   * What `runRequest` needs to route: rules, profiles, the explicit choice and current health.
   * A caller with its own explicit choice (the Chat view's model picker) overrides `override`.
   */
  choice(): Extract<EndpointChoice, { rules: unknown }> {
    const selected = this.selected;
    return {
      profiles: this.cfg.profiles, rules: this.cfg.rules, defaultId: this.cfg.defaultId || undefined,
      override: selected, overrideSource: selected ? 'Ponder: Select Endpoint' : undefined, health: this.healthById,
    };
  }

  /** The profile a plain request would go to now (no command, no prompt size): what the status bar shows. */
  activeRoute(): Route<ResolvedProfile> {
    const c = this.choice();
    return chooseEndpoint({ ...c });
  }
}
