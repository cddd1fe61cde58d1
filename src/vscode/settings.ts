import * as vscode from 'vscode';
import { readSettings, type SettingKey, type Settings, type SettingProblem } from '../core/config/settings';

/**
 * Settings read through the typed registry. Each invalid value is reported once (log and a
 * warning naming the setting) and replaced by its default; a fixed value may be reported again.
 */
export class SettingsService implements vscode.Disposable {
  private cached: Settings | undefined;
  /** Reported message -> the setting it is about, so fixing a setting lets it be reported again. */
  private readonly reported = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<Settings>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('ponder')) return;
      for (const [message, key] of this.reported) if (e.affectsConfiguration(settingOf(key))) this.reported.delete(message);
      this.cached = undefined;
      this.emitter.fire(this.current);
    });
  }

  get current(): Settings {
    if (!this.cached) {
      const config = vscode.workspace.getConfiguration();
      const { settings, problems } = readSettings((key: SettingKey) => config.get(key));
      this.cached = settings;
      this.report(problems);
    }
    return this.cached;
  }

  get<K extends SettingKey>(key: K): Settings[K] {
    return this.current[key];
  }

  /** Reports problems found elsewhere (endpoint profiles, routing rules) the same way, once each. */
  report(problems: SettingProblem[]): void {
    for (const p of problems) {
      if (this.reported.has(p.message)) continue;
      this.reported.set(p.message, p.key);
      this.log.warn(p.message);
      void vscode.window.showWarningMessage(p.message, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', settingOf(p.key));
      });
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

/** `ponder.endpoints[2]` -> `ponder.endpoints`. */
function settingOf(key: string): string {
  return key.replace(/\[\d+\].*$/, '');
}
