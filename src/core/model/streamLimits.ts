/**
 * Limits on what a server may stream back, so a broken or hostile server cannot grow memory
 * without end: one event-stream line (a server that never sends a newline) and the whole
 * response. Both are far above anything a real answer needs; crossing one stops the stream with
 * an error that names the limit (what arrived before is kept by the caller).
 */
export const MAX_SSE_LINE_BYTES = 8 * 1024 * 1024;
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

/** Counts a stream's bytes and its current line; `push` returns the error once a limit is crossed. */
export class StreamLimiter {
  private line = 0;
  private total = 0;
  constructor(private readonly url: string, private readonly limits = { line: MAX_SSE_LINE_BYTES, total: MAX_STREAM_BYTES }) {}

  push(chunk: Uint8Array): StreamLimitError | undefined {
    this.total += chunk.byteLength;
    // Every line that ends in this chunk, the first one carrying what came before it.
    let longest = 0;
    let start = 0;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      if (this.line + i - start > longest) longest = this.line + i - start;
      this.line = 0;
      start = i + 1;
    }
    this.line += chunk.byteLength - start;
    if (this.line > longest) longest = this.line;
    if (longest > this.limits.line) return new StreamLimitError(`${this.url} sent an event-stream line longer than ${MB(this.limits.line)} without a line break; Ponder stops reading at that limit`);
    if (this.total > this.limits.total) return new StreamLimitError(`${this.url} streamed more than ${MB(this.limits.total)}; Ponder stops an answer at that limit`);
    return undefined;
  }
}
