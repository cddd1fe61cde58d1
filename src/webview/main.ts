// The sidebar's browser side. It talks to the host only by messages; `ready` comes first.
import './styles.css';
import { h, render } from 'preact';
import { post } from './api';
import { App } from './app';
import { FrameBatcher } from './frameBatcher';
import { answerProbe } from './probe';
import { WebviewState } from './state';

const root = document.getElementById('root')!;
const state = new WebviewState();

const batcher = new FrameBatcher<unknown>(
  (m) => state.receive(m),
  () => {
    render(h(App, { state, now: Date.now() }), root);
    // Probes answer after the render so they see what the user would.
    for (const p of state.probes.splice(0)) post({ type: 'probeResult', id: p.id, result: answerProbe(state, batcher.stats, p) });
  },
  (cb) => requestAnimationFrame(cb),
  () => performance.now(),
);

// The bench reads these; they cost nothing when unread.
(window as unknown as { __ponder: unknown }).__ponder = { stats: batcher.stats, get backlog() { return batcher.backlog; }, state };

window.addEventListener('message', (event: MessageEvent) => batcher.push(event.data));

// Links in model text are opened by the host (http(s) only), never by the page. A code block's
// Copy button sends the block's text to the host for the clipboard.
document.addEventListener('click', (event) => {
  const copy = (event.target as Element | null)?.closest?.('.copy-code');
  if (copy) {
    const code = copy.parentElement?.querySelector('pre')?.textContent ?? '';
    post({ type: 'copyText', text: code });
    copy.textContent = 'Copied';
    setTimeout(() => { copy.textContent = 'Copy'; }, 1500);
    return;
  }
  const a = (event.target as Element | null)?.closest?.('a');
  if (!a) return;
  event.preventDefault();
  const href = a.getAttribute('href');
  if (href) post({ type: 'openLink', url: href });
});

// Elapsed times and retry countdowns tick while a request runs.
setInterval(() => {
  if (state.view?.status === 'running') batcher.invalidate();
}, 1000);

post({ type: 'ready' });
