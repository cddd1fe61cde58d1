// Helpers for integration suites, which run inside the real extension host:
//   import { ui, waitFor, ponder, settings, logs } from '../lib';   (path relative to your suite)
// `ui` drives the browser showing the workbench through the runner's RPC. See ./README.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HARNESS_LOG_DIR_ENV, readConfig, rpcCall, type HarnessConfig } from './harness/protocol';

export const PONDER_ID = 'ponder-dev.ponder';

let cached: HarnessConfig | undefined;
/** This launch's configuration: workspace path, results folder, the runner's RPC URL. */
export function config(): HarnessConfig {
  return (cached ??= readConfig());
}

function call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
  return rpcCall(config().rpcUrl, method, params) as Promise<T>;
}

/**
 * Code to run in a browser frame: an expression string, or a function sent as its source (it
 * cannot use variables from the suite: pass them as JSON-able arguments).
 */
export type BrowserCode<T, A extends unknown[]> = string | ((...args: A) => T | Promise<T>);
export type Evaluate = <T = unknown, A extends unknown[] = unknown[]>(js: BrowserCode<T, A>, ...args: A) => Promise<T>;
export type EvaluateIn = <T = unknown, A extends unknown[] = unknown[]>(view: string | WebviewTarget, js: BrowserCode<T, A>, ...args: A) => Promise<T>;

/** Values `waitFor` treats as "not yet". */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

export interface WebviewTarget {
  /** A view id ("ponder.trace"), an extension id ("ponder-dev.ponder") or the webview's document title. */
  target: string;
  /** Narrow when an extension has several: 'webviewView' (sidebar views) or 'webviewPanel' (editor panels). */
  purpose?: 'webviewView' | 'webviewPanel';
  /** How long to wait for the frame to appear (default 20 s). */
  timeoutMs?: number;
}

export interface Notification {
  message: string;
  source: string;
  severity: 'error' | 'warning' | 'info';
}

function target(t: string | WebviewTarget): WebviewTarget {
  return typeof t === 'string' ? { target: t } : t;
}

/** The browser side: the workbench page and the webviews in it. */
export const ui = {
  /** Saves a PNG of the whole window as test-results/<name>.png; returns its path. */
  screenshot: (name: string) => call<string>('ui.screenshot', { name }),
  /** Saves a PNG of one webview's body as test-results/<name>.png. */
  webviewScreenshot: (view: string | WebviewTarget, name: string) => call<string>('ui.webviewScreenshot', { ...target(view), name }),
  /** Evaluates in the workbench page (its DOM, not the extension host). Returns JSON-able values. */
  workbenchEval: ((js: unknown, ...args: unknown[]) => call('ui.workbenchEval', { js: String(js), args })) as Evaluate,
  /** Evaluates inside a webview's document (the frame holding the extension's HTML). */
  webviewEval: ((view: string | WebviewTarget, js: unknown, ...args: unknown[]) => call('ui.webviewEval', { ...target(view), js: String(js), args })) as EvaluateIn,
  /** Clicks the first element matching a CSS/playwright selector inside a webview. */
  webviewClick: (view: string | WebviewTarget, selector: string) => call<boolean>('ui.webviewClick', { ...target(view), selector }),
  /** innerText of the first match of `selector` (default body) inside a webview. */
  webviewText: (view: string | WebviewTarget, selector = 'body') => call<string>('ui.webviewText', { ...target(view), selector }),
  /** The webviews present now: extension id, purpose, document title. */
  webviews: () => call<{ extensionId: string; purpose?: string; title: string; hostUrl: string }[]>('ui.webviews'),
  /** Clicks in the workbench page. */
  click: (selector: string) => call<boolean>('ui.click', { selector }),
  /** innerText of the first match in the workbench page. */
  text: (selector = 'body') => call<string>('ui.text', { selector }),
  /** Presses keys in the page, playwright names: 'Control+Shift+P', 'Enter', 'Escape'. */
  press: (...keys: string[]) => call<boolean>('ui.press', { keys }),
  /** Types text at the focus. */
  type: (text: string) => call<boolean>('ui.type', { text }),
  /** Notification toasts (and the notification center when open): message, source, severity. */
  notifications: () => call<Notification[]>('ui.notifications'),
  /** Sets the color theme (user setting) and waits for the workbench to repaint. */
  async setTheme(theme: 'Default Dark Modern' | 'Default Light Modern' | 'Default High Contrast' | string): Promise<void> {
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
    // The workbench marks the active theme on its root element's classes.
    await waitFor(() => vscode.workspace.getConfiguration('workbench').get('colorTheme') === theme, { message: `theme ${theme} applied` });
    await sleep(500);
  },
};

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `fn` until it returns a truthy value (returned) or throws no more; fails after `timeoutMs`
 * with `message` and the last value or error, so a failing test says what it waited for.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, { timeoutMs = 15_000, intervalMs = 200, message = 'condition' } = {}): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as Truthy<T>;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}; last: ${detail}`);
    }
    await sleep(intervalMs);
  }
}

/** Ponder as installed from its .vsix. */
export const ponder = {
  extension(): vscode.Extension<unknown> {
    const ext = vscode.extensions.getExtension(PONDER_ID);
    if (!ext) throw new Error(`${PONDER_ID} is not installed in this profile`);
    return ext;
  },
  /** Activates Ponder and returns its exported API (`activationMs`, `services`, ...). */
  async activate<T = { activationMs: number }>(): Promise<T> {
    return (await ponder.extension().activate()) as T;
  },
  /** package.json of the installed extension. */
  manifest(): Record<string, unknown> & { contributes: Record<string, unknown> } {
    return ponder.extension().packageJSON;
  },
};

/** The extension host's log folder for an extension (where its LogOutputChannels write). */
function extensionLogDir(extensionId: string): string {
  // The harness's own log folder is <logs>/exthostN/ponder-dev.ponder-test-harness; its siblings
  // belong to the other extensions of the same extension host.
  const dir = process.env[HARNESS_LOG_DIR_ENV];
  if (!dir) throw new Error('The harness log folder is unknown: logs.read works only in suites run by the harness.');
  return path.join(path.dirname(dir), extensionId);
}

export const logs = {
  /** Text of an extension's log output channel, e.g. logs.read('Ponder'): '' when not written yet. */
  read(channel = 'Ponder', extensionId = PONDER_ID): string {
    const dir = extensionLogDir(extensionId);
    const file = path.join(dir, `${channel}.log`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  },
  /** Waits until the channel's log contains `text` (string or RegExp); returns the log. */
  async waitFor(text: string | RegExp, { channel = 'Ponder', timeoutMs = 15_000 } = {}): Promise<string> {
    return waitFor(
      () => {
        const content = logs.read(channel);
        return (typeof text === 'string' ? content.includes(text) : text.test(content)) ? content : '';
      },
      { timeoutMs, message: `${channel} log to contain ${String(text)}` },
    );
  },
};

/** Settings for one test: `await settings.set('ponder.tools.maxRounds', 3)`, restored by `settings.restore()`. */
export const settings = {
  changed: [] as { section: string; before: unknown }[],
  async set(section: string, value: unknown, target = vscode.ConfigurationTarget.Global): Promise<void> {
    const config = vscode.workspace.getConfiguration();
    settings.changed.push({ section, before: config.inspect(section)?.globalValue });
    await config.update(section, value, target);
  },
  async restore(): Promise<void> {
    while (settings.changed.length) {
      const { section, before } = settings.changed.pop()!;
      await vscode.workspace.getConfiguration().update(section, before, vscode.ConfigurationTarget.Global);
    }
  },
};

/** Closes editors and notifications between tests so screenshots show what the test opened. */
export async function resetWorkbench(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('notifications.clearAll');
}

/** The workspace copy this group runs in (fresh per run). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('This group runs without a workspace folder (setup workspace: null).');
  return folder.uri;
}
