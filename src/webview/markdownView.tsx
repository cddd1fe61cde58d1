import { useLayoutEffect, useRef } from 'preact/hooks';
import { MarkdownStream } from './markdownStream';

/**
 * Sanitized, incrementally rendered markdown. Preact owns the container; the stream owns its
 * children. With `follow`, the container auto-scrolls while the user stays at the bottom and
 * stops as soon as they scroll up (back at the bottom, it follows again).
 */
export function MarkdownView({ text, class: className, follow, label, live }: { text: string; class?: string; follow?: boolean; label?: string; live?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const stream = useRef<MarkdownStream | null>(null);
  const stick = useRef(true);
  const ownScroll = useRef(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    stream.current ??= new MarkdownStream(el);
    stream.current.update(text, live);
    if (follow && stick.current) {
      // Written, not read: the browser clamps it, and no layout is forced here.
      ownScroll.current = true;
      el.scrollTop = 1e9;
    }
  });
  const onScroll = () => {
    const el = ref.current;
    // Only the user's scrolls decide whether to keep following (ours would cost a layout each).
    if (ownScroll.current) { ownScroll.current = false; return; }
    if (el) stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 12;
  };
  return <div ref={ref} class={`md ${className ?? ''}`} onScroll={follow ? onScroll : undefined} tabIndex={follow ? 0 : undefined} role="region" aria-label={label} />;
}
