import { renderMarkdown } from './markdown';

/** Blocks kept in the page before older ones are folded behind a "show earlier" button. */
const MAX_VISIBLE_BLOCKS = 150;
/** A paragraph that grows past this without a blank line is cut at its last line break. */
const MAX_TAIL = 8_000;
/**
 * An unfinished block longer than this (a long code fence still streaming) is appended as plain
 * text instead of re-rendered each frame; it is rendered once it completes.
 */
const LIVE_RENDER_LIMIT = 24_000;

/**
 * Renders growing markdown incrementally: text is cut into blocks at blank lines outside code
 * fences; each finished block is rendered once and appended, and only the unfinished tail is
 * re-rendered per update. A 10,000-delta trace costs one small render per frame, not a full
 * re-parse; very long traces keep only the newest blocks in the DOM.
 */
export class MarkdownStream {
  private text = '';
  private cut = 0;
  private scan = 0;
  private inFence = false;
  private readonly blocks: { source: string; el?: HTMLElement }[] = [];
  private hiddenBefore = 0;
  private showAll = false;
  private readonly more: HTMLButtonElement;
  private readonly body: HTMLElement;
  private readonly tail: HTMLElement;
  private tailSource = '';
  private tailLive = false;
  private tailText: Text | undefined;

  constructor(private readonly root: HTMLElement, follow = false) {
    root.replaceChildren();
    this.more = document.createElement('button');
    this.more.className = 'link-button more-blocks';
    this.more.hidden = true;
    this.more.addEventListener('click', () => this.revealAll());
    this.body = document.createElement('div');
    this.tail = document.createElement('div');
    this.tail.className = 'md-tail';
    root.append(this.more, this.body, this.tail);
    if (follow) {
      const anchor = document.createElement('div');
      anchor.className = 'scroll-anchor';
      root.append(anchor);
    }
  }

  /**
   * The unfinished tail is rendered as markdown too, on each update, so text reads formatted as
   * it streams instead of raw then jumping when its block completes (an open code fence renders
   * as a code block up to the text so far). `live` with a very long tail: appended as plain text
   * in place, so a huge fence does not cost a full render per frame.
   */
  update(text: string, live = false): void {
    const from = Math.max(0, this.text.length - 64);
    // Text only grows; anything else (another request, a snapshot) starts over.
    if (text.length < this.text.length || text.slice(from, this.text.length) !== this.text.slice(from)) this.reset();
    this.text = text;
    this.cutBlocks();
    const tail = text.slice(this.cut);
    if (tail === this.tailSource && live === this.tailLive) return;
    const plain = live && tail.length > LIVE_RENDER_LIMIT;
    if (plain && this.tailText && tail.startsWith(this.tailSource)) {
      this.tailText.appendData(tail.slice(this.tailSource.length));
    } else if (plain) {
      this.tailText = document.createTextNode(tail);
      this.tail.replaceChildren(this.tailText);
    } else {
      this.tailText = undefined;
      this.tail.innerHTML = tail.trim() ? renderMarkdown(tail) : '';
      addCopyButtons(this.tail);
    }
    this.tailSource = tail;
    this.tailLive = live;
  }

  private reset(): void {
    this.text = '';
    this.cut = this.scan = 0;
    this.inFence = false;
    this.blocks.length = 0;
    this.hiddenBefore = 0;
    this.body.replaceChildren();
    this.tail.replaceChildren();
    this.tailSource = '';
    this.tailText = undefined;
    this.more.hidden = true;
  }

  private cutBlocks(): void {
    const t = this.text;
    for (let nl = t.indexOf('\n', this.scan); nl !== -1; nl = t.indexOf('\n', this.scan)) {
      const line = t.slice(this.scan, nl);
      this.scan = nl + 1;
      const trimmed = line.trimStart();
      if (trimmed.startsWith('```') || trimmed.startsWith('~~~')) this.inFence = !this.inFence;
      else if (!this.inFence && !line.trim()) this.emit(this.scan);
    }
    if (!this.inFence && this.scan - this.cut > MAX_TAIL) this.emit(this.scan);
  }

  private emit(end: number): void {
    const source = this.text.slice(this.cut, end);
    this.cut = end;
    if (!source.trim()) return;
    const block: { source: string; el?: HTMLElement } = { source };
    this.blocks.push(block);
    block.el = this.renderBlock(source);
    this.body.append(block.el);
    if (!this.showAll && this.blocks.length - this.hiddenBefore > MAX_VISIBLE_BLOCKS) {
      const old = this.blocks[this.hiddenBefore++];
      old.el?.remove();
      old.el = undefined;
      this.more.hidden = false;
      this.more.textContent = `Show ${this.hiddenBefore} earlier block${this.hiddenBefore === 1 ? '' : 's'}`;
    }
  }

  private renderBlock(source: string): HTMLElement {
    const el = document.createElement('div');
    el.className = 'md-block';
    el.innerHTML = renderMarkdown(source);
    addCopyButtons(el);
    return el;
  }

  private revealAll(): void {
    this.showAll = true;
    const frag = document.createDocumentFragment();
    for (let i = 0; i < this.hiddenBefore; i++) frag.append(this.blocks[i].el = this.renderBlock(this.blocks[i].source));
    this.body.prepend(frag);
    this.hiddenBefore = 0;
    this.more.hidden = true;
  }

  /** The root, for scroll handling by the owner. */
  get element(): HTMLElement {
    return this.root;
  }
}

/**
 * Gives each code block a Copy button (built here, never from model text). main.ts handles the
 * click: the block's text goes to the host, which puts it on the clipboard.
 */
function addCopyButtons(root: HTMLElement): void {
  for (const pre of root.querySelectorAll('pre')) {
    const wrap = document.createElement('div');
    wrap.className = 'code-block';
    const button = document.createElement('button');
    button.className = 'copy-code icon-button';
    button.type = 'button';
    button.title = 'Copy code';
    button.setAttribute('aria-label', 'Copy code');
    button.textContent = 'Copy';
    pre.replaceWith(wrap);
    wrap.append(button, pre);
  }
}
