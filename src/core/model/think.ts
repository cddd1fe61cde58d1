/**
 * Splits inline `<think>...</think>` out of `content` for servers that run no reasoning parser.
 * The tags may be split across chunks at any character, so a possible partial tag at the end of
 * a chunk is held back until the next chunk decides it. Only a `<think>` at the very start of the
 * answer (after whitespace) opens reasoning: a model explaining the tag later is left alone.
 */
const OPEN = '<think>';
const CLOSE = '</think>';

export interface ThinkSink { reasoning(text: string): void; content(text: string): void }

export class ThinkSplitter {
  /** start: nothing but whitespace seen; inside: in reasoning; trim: just closed, skipping the
   * layout newlines before the answer; after: plain content from here on. */
  private state: 'start' | 'inside' | 'trim' | 'after' = 'start';
  private held = '';

  constructor(private readonly sink: ThinkSink) {}

  push(text: string): void {
    if (this.state === 'after') { this.sink.content(text); return; }
    if (this.state === 'trim') {
      const t = text.replace(/^\s+/, '');
      if (t) { this.state = 'after'; this.sink.content(t); }
      return;
    }
    let s = this.held + text;
    this.held = '';
    if (this.state === 'start') {
      const lead = s.length - s.trimStart().length;
      const rest = s.slice(lead);
      if (rest.length === 0) { this.held = s; return; }
      if (rest.startsWith(OPEN)) {
        this.state = 'inside';
        s = rest.slice(OPEN.length);
      } else if (OPEN.startsWith(rest)) {
        this.held = s; // could still become "<think>"
        return;
      } else {
        this.state = 'after';
        this.sink.content(s);
        return;
      }
    }
    // inside
    const end = s.indexOf(CLOSE);
    if (end >= 0) {
      if (end > 0) this.sink.reasoning(s.slice(0, end));
      // The newline(s) a model writes after the closing tag are layout, not answer.
      this.state = 'trim';
      this.push(s.slice(end + CLOSE.length));
      return;
    }
    const keep = partialSuffix(s, CLOSE);
    if (s.length > keep) this.sink.reasoning(s.slice(0, s.length - keep));
    this.held = s.slice(s.length - keep);
  }

  /** The stream ended: whatever is held is what it looked like. */
  flush(): void {
    if (!this.held) return;
    const held = this.held;
    this.held = '';
    if (this.state === 'inside') this.sink.reasoning(held);
    else if (held.trim()) this.sink.content(held);
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialSuffix(s: string, tag: string): number {
  const max = Math.min(tag.length - 1, s.length);
  for (let n = max; n > 0; n--) if (s.endsWith(tag.slice(0, n))) return n;
  return 0;
}
