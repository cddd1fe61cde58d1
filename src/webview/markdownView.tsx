import { useLayoutEffect, useRef } from 'preact/hooks';
import { MarkdownStream } from './markdownStream';

/**
 * Sanitized, incrementally rendered markdown. Preact owns the container; the stream owns its
 * children. With `follow`, the container auto-scrolls while the user stays at the bottom and
 * stops as soon as they scroll up (back at the bottom, it follows again). That is done by the
 * browser's scroll anchoring on an anchor element at the end (styles.css), so no script reads
 * or writes scroll positions per frame: no forced layout while tokens stream.
 */
export function MarkdownView({ text, class: className, follow, label, live }: { text: string; class?: string; follow?: boolean; label?: string; live?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const stream = useRef<MarkdownStream | null>(null);
  const anchored = useRef(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    stream.current ??= new MarkdownStream(el, !!follow);
    stream.current.update(text, live);
    // Anchoring does not act at scroll offset 0: scroll to the end once, when the text first
    // overflows; from then on the anchor keeps the view at the end (or where the user put it).
    if (follow && !anchored.current && el.scrollHeight > el.clientHeight) {
      anchored.current = true;
      el.scrollTop = el.scrollHeight;
    }
  });
  return <div ref={ref} class={`md ${className ?? ''}${follow ? ' follow' : ''}`} tabIndex={follow ? 0 : undefined} role="region" aria-label={label} />;
}
