/**
 * Limits on what a server may stream back, so a broken or hostile server cannot grow memory or
 * CPU without end: one event-stream line (a server that never sends a newline), one event (lines
 * that never reach the blank line ending an event: the SDK's decoder holds an event whole, and
 * openai 6 copies what it holds on every read, so an endless event costs time quadratic in its
 * size) and the whole response. All are far above anything a real answer needs; crossing one
 * stops the stream with an error that names the limit (what arrived before is kept by the caller).
 */
export const MAX_SSE_LINE_BYTES = 8 * 1024 * 1024;
export const MAX_SSE_EVENT_BYTES = 8 * 1024 * 1024;
export const MAX_STREAM_BYTES = 256 * 1024 * 1024;
export const STREAM_LIMIT = 'PONDER_STREAM_LIMIT';

export class StreamLimitError extends Error {
  readonly code = STREAM_LIMIT;
  constructor(message: string) {
    super(message);
    this.name = 'StreamLimitError';
  }
}

const MB = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
const LF = 10;
const CR = 13;

/** Counts a stream's bytes, its current line and its current event; `push` returns the error once a limit is crossed. */
export class StreamLimiter {
  private line = 0;
  private event = 0;
  private total = 0;
  /** The last byte of the previous chunk (a blank line's CR may end one chunk and its LF start the next). */
  private last = 0;
  constructor(private readonly url: string, private readonly limits = { line: MAX_SSE_LINE_BYTES, event: MAX_SSE_EVENT_BYTES, total: MAX_STREAM_BYTES }) {}

  push(chunk: Uint8Array): StreamLimitError | undefined {
    const n = chunk.byteLength;
    this.total += n;
    // Every line that ends in this chunk, the first one carrying what came before it; a blank
    // line (LF or CR LF alone) ends an event.
    let longestLine = 0;
    let longestEvent = 0;
    let start = 0;
    let eventStart = 0;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      const length = this.line + i - start;
      if (length > longestLine) longestLine = length;
      if (length === 0 || (length === 1 && (i > 0 ? chunk[i - 1] : this.last) === CR)) {
        const event = this.event + i + 1 - eventStart;
        if (event > longestEvent) longestEvent = event;
        this.event = 0;
        eventStart = i + 1;
      }
      this.line = 0;
      start = i + 1;
    }
    this.line += n - start;
    this.event += n - eventStart;
    if (n) this.last = chunk[n - 1];
    if (this.line > longestLine) longestLine = this.line;
    if (this.event > longestEvent) longestEvent = this.event;
    if (longestLine > this.limits.line) return new StreamLimitError(`${this.url} sent an event-stream line longer than ${MB(this.limits.line)} without a line break; Ponder stops reading at that limit`);
    if (longestEvent > this.limits.event) return new StreamLimitError(`${this.url} sent an event-stream event longer than ${MB(this.limits.event)} without the blank line that ends an event; Ponder stops reading at that limit`);
    if (this.total > this.limits.total) return new StreamLimitError(`${this.url} streamed more than ${MB(this.limits.total)}; Ponder stops an answer at that limit`);
    return undefined;
  }
}
