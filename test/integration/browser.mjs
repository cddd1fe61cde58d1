/* global document, URLSearchParams -- page.evaluate callbacks run in the browser */
// Headless Chromium (Debian's, driven by playwright-core) showing the code-server workbench, and
// the UI calls suites make through the RPC: screenshots, evaluation in the workbench or in an
// extension's webview, clicks, keys.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
];

export function chromiumPath() {
  const candidates = [process.env.PONDER_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error('No Chromium found: `sudo apt-get install -y chromium` (.ci/run does this) or set PONDER_CHROMIUM.');
  return found;
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
}

/** A frame's URL says which extension's webview it is: the outer frame carries ?extensionId=. */
function frameInfo(frame) {
  let params = new URLSearchParams();
  try {
    params = new URL(frame.url()).searchParams;
  } catch {
    /* about:blank */
  }
  return { url: frame.url(), name: frame.name(), extensionId: params.get('extensionId') ?? undefined, purpose: params.get('purpose') ?? undefined };
}

/**
 * The document frames of webviews: VS Code nests each webview twice (a host frame with the
 * extension id in its URL, and inside it the `active-frame` holding the extension's HTML).
 */
async function webviewContentFrames(page) {
  const out = [];
  for (const frame of page.frames()) {
    const parent = frame.parentFrame();
    if (!parent) continue;
    const host = frameInfo(parent);
    if (!host.extensionId) continue;
    if (frame.name() !== 'active-frame' && !/fake\.html|index\.html/.test(frame.url())) continue;
    let title;
    try {
      title = await frame.title();
    } catch {
      continue; // detached mid-navigation
    }
    out.push({ frame, extensionId: host.extensionId, purpose: host.purpose, title, hostUrl: host.url });
  }
  return out;
}

/**
 * Finds one webview by `target`: an extension id ("ponder-dev.ponder"), a view id owned by it
 * ("ponder.trace": matched by the extension whose id ends in its prefix), or the webview's
 * document title. With several matches, `purpose` ('webviewView' or 'webviewPanel') narrows.
 */
export async function findWebview(page, target, { purpose, timeoutMs = 20_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frames = await webviewContentFrames(page);
    const byTitle = frames.filter((f) => f.title && f.title === target);
    const byExt = frames.filter((f) => f.extensionId.toLowerCase() === target.toLowerCase());
    const prefix = target.split('.')[0];
    const byView = frames.filter((f) => f.extensionId.toLowerCase().endsWith(`.${prefix.toLowerCase()}`));
    let matches = byTitle.length ? byTitle : byExt.length ? byExt : byView;
    if (purpose) matches = matches.filter((f) => f.purpose === purpose);
    if (matches.length > 0) {
      // Several webviews of one extension: the view beats panels unless asked otherwise.
      const view = matches.find((f) => f.purpose === 'webviewView');
      return (view ?? matches[0]).frame;
    }
    if (Date.now() > deadline) {
      const list = frames.map((f) => `${f.extensionId} (${f.purpose ?? '?'}) "${f.title}"`).join(', ') || 'none';
      throw new Error(`No webview matches "${target}" after ${timeoutMs} ms; webviews present: ${list}. Open the view first (e.g. executeCommand('${target}.focus')).`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Wraps suite-provided source into something page.evaluate runs: an expression or a function. */
function evaluable(js, args) {
  const src = String(js).trim();
  const isFn = /^(async\s+)?(function\b|\([^)]*\)\s*=>|[\w$]+\s*=>)/.test(src);
  return isFn ? `(${src})(...${JSON.stringify(args ?? [])})` : `(${src})`;
}

/** The RPC handlers of one workbench page. `resultsDir` receives screenshots. */
export function uiHandlers(getPage, resultsDir) {
  const page = () => {
    const p = getPage();
    if (!p) throw new Error('No workbench page is open (under --electron the UI calls are unavailable).');
    return p;
  };
  const safeName = (name) => String(name).replace(/[^\w.-]+/g, '_').slice(0, 100) || 'screenshot';
  return {
    'ui.screenshot': async ({ name, fullPage }) => {
      fs.mkdirSync(resultsDir, { recursive: true });
      const file = path.join(resultsDir, `${safeName(name)}.png`);
      await page().screenshot({ path: file, fullPage: !!fullPage });
      return file;
    },
    'ui.workbenchEval': async ({ js, args }) => page().evaluate(evaluable(js, args)),
    'ui.webviewEval': async ({ target, js, args, purpose, timeoutMs }) => {
      const frame = await findWebview(page(), target, { purpose, timeoutMs });
      return frame.evaluate(evaluable(js, args));
    },
    'ui.webviewClick': async ({ target, selector, purpose, timeoutMs }) => {
      const frame = await findWebview(page(), target, { purpose, timeoutMs });
      await frame.locator(selector).first().click({ timeout: timeoutMs ?? 10_000 });
      return true;
    },
    'ui.webviewText': async ({ target, selector, purpose, timeoutMs }) => {
      const frame = await findWebview(page(), target, { purpose, timeoutMs });
      return frame.locator(selector ?? 'body').first().innerText({ timeout: timeoutMs ?? 10_000 });
    },
    'ui.webviewScreenshot': async ({ target, name, purpose, timeoutMs }) => {
      const frame = await findWebview(page(), target, { purpose, timeoutMs });
      fs.mkdirSync(resultsDir, { recursive: true });
      const file = path.join(resultsDir, `${safeName(name)}.png`);
      await frame.locator('body').screenshot({ path: file });
      return file;
    },
    'ui.webviews': async () => (await webviewContentFrames(page())).map(({ extensionId, purpose, title, hostUrl }) => ({ extensionId, purpose, title, hostUrl })),
    'ui.click': async ({ selector, timeoutMs }) => {
      await page().locator(selector).first().click({ timeout: timeoutMs ?? 10_000 });
      return true;
    },
    'ui.text': async ({ selector, timeoutMs }) => page().locator(selector ?? 'body').first().innerText({ timeout: timeoutMs ?? 10_000 }),
    'ui.press': async ({ keys }) => {
      for (const k of [].concat(keys)) await page().keyboard.press(k);
      return true;
    },
    'ui.type': async ({ text }) => {
      await page().keyboard.type(String(text));
      return true;
    },
    'ui.notifications': async () =>
      page().evaluate(() =>
        [...document.querySelectorAll('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item')].map((el) => {
          const message = el.querySelector('.notification-list-item-message')?.textContent ?? '';
          const source = el.querySelector('.notification-list-item-source')?.textContent ?? '';
          const severity = el.querySelector('.codicon-error') ? 'error' : el.querySelector('.codicon-warning') ? 'warning' : 'info';
          return { message, source, severity };
        }),
      ),
  };
}
