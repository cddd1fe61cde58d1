import type { WebviewState } from './state';
import type { FrameStats } from './frameBatcher';

/**
 * Test mode only (the host says so in its snapshot): reports what the page shows, optionally
 * after clicking one control, so integration suites in the extension host can assert on the
 * real rendered webview. `click` is a CSS selector such as `button[data-action="allow"]`.
 */
export function answerProbe(state: WebviewState, stats: FrameStats, probe: { id: string; click?: string }): Record<string, unknown> {
  let clicked: boolean | undefined;
  if (probe.click) {
    const target = document.querySelector<HTMLElement>(probe.click);
    clicked = !!target;
    target?.click();
  }
  const md = [...document.querySelectorAll('.md')];
  const g = window as unknown as Record<string, unknown>;
  return {
    clicked,
    selected: state.selected,
    status: state.view?.status,
    requests: state.requests.map((r) => ({ id: r.requestId, status: r.status })),
    text: document.body.innerText.slice(0, 20_000),
    reasoningChars: state.view?.reasoning.length ?? 0,
    answerHtml: document.querySelector('.answer-body')?.innerHTML.slice(0, 20_000),
    buttons: [...document.querySelectorAll('button')].map((b) => b.dataset.action ?? b.getAttribute('aria-label') ?? b.textContent?.trim()),
    dangerous: md.reduce((n, el) => n + el.querySelectorAll('script,img,iframe,svg,style,object,embed,link,[style],[onerror],[onload]').length, 0),
    links: md.flatMap((el) => [...el.querySelectorAll('a')].map((a) => a.getAttribute('href'))),
    xssFlag: g.__ponderXss ?? null,
    rejected: state.rejected,
    stats: { ...stats },
  };
}
