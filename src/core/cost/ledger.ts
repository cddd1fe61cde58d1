import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { describeZodError } from '../config/settings';
import { LedgerEntrySchema, type LedgerEntry, type LedgerEntryInput } from './types';
import { ensurePrivateFolder, openForAppend } from '../userFiles';
import { lineStartBefore } from './ledgerSummary';
import { quickEntry } from './ledgerScan';

/** A line longer than this is shrunk before writing: small single writes stay whole under O_APPEND. */
export const MAX_LINE_BYTES = 4000;
/** Reads go in chunks of this size: a long ledger is never one giant buffer. */
const CHUNK_BYTES = 8 << 20;
/** Below this size a ledger is read whole even when only recent lines are wanted. */
const TAIL_READ_FROM = 4 << 20;

/**
 * The spend ledger: an append-only JSONL file, one line per finished request, shared by every
 * VS Code window and the CLI (defaultLedgerPath).
 *
 * Why this holds with several writers: each line goes out in ONE `write` on a descriptor opened
 * with O_APPEND, so the kernel places it at the end atomically; lines stay small. A writer killed
 * part-way can only leave a last line without its newline: the next writer sees that and starts
 * with a newline, so its own line stays whole, and readers skip the broken one with a warning.
 *
 * Reads are cached: only the bytes added since the last read are parsed, so checking a budget
 * before every request costs a `stat` and the new tail.
 */
export class Ledger {
  private entries: LedgerEntry[] = [];
  /** Each entry's time in ms, parsed once: `since` filters compare numbers. */
  private times: number[] = [];
  /** A request is counted once even if its line was written twice (a retried append). */
  private ids = new Set<string>();
  private offset = 0;
  /** Where the entries held begin (0: the whole file), and the time they are complete from. */
  private startOffset = 0;
  private startTime = -Infinity;
  private ino = -1;
  private warnedTailAt = -1;

  constructor(readonly file: string, private readonly log: Logger = silentLogger) {}

  /** Appends one request; resolves once the line is written (not fsynced: a lost line costs less than a slow editor). */
  async append(input: LedgerEntryInput): Promise<LedgerEntry> {
    const entry = LedgerEntrySchema.parse(input);
    let line = serialize(entry);
    // Another user's folder, or one others may write to, could swap the file for a link to
    // something of ours: not used. The file itself is never opened through a symlink.
    const problem = ensurePrivateFolder(path.dirname(this.file));
    if (problem) throw new Error(`Not recording spend in ${this.file}: ${problem}. Fix the folder (chmod go-w) or set PONDER_LEDGER to a file in a folder of your own.`);
    let handle: fs.promises.FileHandle;
    try {
      handle = await openForAppend(this.file, true); // O_APPEND, and readable for the checks below
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'EMLINK') throw new Error(`Not recording spend in ${this.file}: it is a symbolic link. Give a ledger file or a new file.`, { cause: err });
      throw err;
    }
    try {
      await assertLedgerFile(handle, this.file);
      if (!(await endsWithNewline(handle))) line = '\n' + line;
      const buf = Buffer.from(line, 'utf8');
      const { bytesWritten } = await handle.write(buf, 0, buf.length);
      if (bytesWritten !== buf.length) {
        throw new Error(`ledger ${this.file}: only ${bytesWritten} of ${buf.length} bytes written (disk full?)`);
      }
    } finally {
      await handle.close();
    }
    return entry;
  }

  /** Every valid entry, oldest first; `since` keeps those at or after that time. */
  async read(opts: { since?: Date } = {}): Promise<LedgerEntry[]> {
    await this.refresh(opts.since?.getTime());
    if (!opts.since) return this.entries.slice();
    const since = opts.since.getTime();
    const out: LedgerEntry[] = [];
    for (let i = 0; i < this.entries.length; i++) if (this.times[i] >= since) out.push(this.entries[i]);
    return out;
  }

  private reading: Promise<void> = Promise.resolve();

  /** One read at a time: two callers at once (a budget check and the report) must not parse the same tail twice. */
  private refresh(sinceMs?: number): Promise<void> {
    const next = this.reading.then(() => this.readTail(sinceMs));
    this.reading = next.catch(() => undefined);
    return next;
  }

  /** Reads only what was appended since the last call; starts over if the file was replaced or shrank. */
  private async readTail(sinceMs?: number): Promise<void> {
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') { this.reset(-1); return; }
      throw new Error(`Cannot read the spend ledger ${this.file}: ${(err as Error).message}`, { cause: err });
    }
    // Lines before `startOffset` were never read (an earlier caller wanted only recent ones): a
    // caller that wants older ones starts over from there.
    const wantsOlder = this.startOffset > 0 && (sinceMs === undefined || sinceMs < this.startTime);
    if (stat.ino !== this.ino || stat.size < this.offset || wantsOlder) {
      this.reset(stat.ino);
      // Only recent lines wanted: a years-long ledger is entered by bisection, not read whole.
      if (sinceMs !== undefined && stat.size > TAIL_READ_FROM) {
        this.startTime = sinceMs - 24 * 3600_000;
        this.startOffset = this.offset = await lineStartBefore(this.file, stat.size, this.startTime);
      }
    }
    while (stat.size > this.offset) {
      const before = this.offset;
      const end = Math.min(stat.size, this.offset + CHUNK_BYTES);
      await this.readChunk(end, end === stat.size);
      if (this.offset === before) break; // a last line without its newline
    }
  }

  /** Parses the complete lines between `offset` and `end`. */
  private async readChunk(end: number, atEnd: boolean): Promise<void> {
    const handle = await fs.promises.open(this.file, 'r');
    let chunk: Buffer;
    try {
      chunk = Buffer.alloc(end - this.offset);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, this.offset);
      chunk = chunk.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
    const lastNewline = chunk.lastIndexOf(0x0a);
    if (lastNewline < 0) { if (atEnd) this.warnTail(chunk.length); return; }
    const complete = chunk.subarray(0, lastNewline).toString('utf8');
    let lineStart = this.offset;
    const lines = complete.split('\n');
    for (let i = 0; i < lines.length; i++) {
      this.parseLine(lines[i], lineStart);
      lineStart += Buffer.byteLength(lines[i], 'utf8') + 1;
      // A years-long ledger read for the first time: let the extension host breathe between batches.
      if (i % 5000 === 4999) await new Promise((r) => setImmediate(r));
    }
    this.offset += lastNewline + 1;
    if (atEnd && lastNewline + 1 < chunk.length) this.warnTail(chunk.length - lastNewline - 1);
  }

  private parseLine(line: string, at: number): void {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      this.log.warn(`Spend ledger ${this.file}: skipped a broken line at byte ${at} (a window or process was probably killed while writing it).`);
      return;
    }
    // A line as Ponder writes it skips zod (ledgerScan's quickEntry); anything else is checked by the schema.
    const quick = quickEntry(json);
    const parsed = quick && !Number.isNaN(Date.parse(quick.time)) ? { success: true as const, data: quick } : LedgerEntrySchema.safeParse(json);
    if (parsed.success) {
      if (this.ids.has(parsed.data.id)) {
        this.log.debug(`Spend ledger ${this.file}: request ${parsed.data.id} appears twice; counted once.`);
        return;
      }
      this.ids.add(parsed.data.id);
      this.entries.push(parsed.data);
      this.times.push(Date.parse(parsed.data.time));
    }
    else this.log.warn(`Spend ledger ${this.file}: skipped an invalid entry at byte ${at} (${describeZodError(parsed.error)}).`);
  }

  /** A last line without its newline: still being written, or left by a killed writer. Not consumed. */
  private warnTail(bytes: number): void {
    if (this.warnedTailAt === this.offset) return;
    this.warnedTailAt = this.offset;
    this.log.warn(`Spend ledger ${this.file}: the last line (${bytes} bytes) is incomplete and was skipped; a writer was probably killed while writing it.`);
  }

  private reset(ino: number): void {
    this.startOffset = 0;
    this.startTime = -Infinity;
    this.entries = [];
    this.times = [];
    this.ids = new Set();
    this.offset = 0;
    this.ino = ino;
    this.warnedTailAt = -1;
  }
}

/**
 * Appends go only to a ledger: an empty file, one with a ledger line among its first lines, or
 * (a first write cut short) a single unfinished JSON line.
 */
async function assertLedgerFile(handle: fs.promises.FileHandle, file: string): Promise<void> {
  const st = await handle.stat();
  if (!st.isFile()) throw new Error(`Not recording spend in ${file}: it is not a regular file.`);
  if (st.size === 0) return;
  const head = Buffer.alloc(Math.min(st.size, 2 * MAX_LINE_BYTES));
  await handle.read(head, 0, head.length, 0);
  const text = head.toString('utf8');
  const lines = text.split('\n');
  const complete = lines.slice(0, -1);
  // A ledger line: a JSON object of version 1 with an id (an invalid one is still the ledger's, skipped on read).
  const isEntry = (l: string) => { try { const j = JSON.parse(l) as { v?: unknown; id?: unknown } | null; return !!j && j.v === 1 && typeof j.id === 'string'; } catch { return false; } };
  const ok = complete.some(isEntry) || (complete.length === 0 && st.size < MAX_LINE_BYTES && text.startsWith('{"'));
  if (!ok) throw new Error(`Not recording spend in ${file}: it is not a Ponder ledger (its first line is not a ledger entry). Give a ledger file or a new file.`);
}

async function endsWithNewline(handle: fs.promises.FileHandle): Promise<boolean> {
  const { size } = await handle.stat();
  if (size === 0) return true;
  const b = Buffer.alloc(1);
  await handle.read(b, 0, 1, size - 1);
  return b[0] === 0x0a;
}

/** One JSON line under MAX_LINE_BYTES: the note goes first, then long names are cut. */
export function serialize(entry: LedgerEntry): string {
  let line = JSON.stringify(entry) + '\n';
  if (Buffer.byteLength(line) <= MAX_LINE_BYTES) return line;
  const slim: LedgerEntry = { ...entry, note: entry.note?.slice(0, 200) };
  for (const k of ['workspace', 'model', 'endpoint', 'command', 'provider', 'id', 'session'] as const) {
    line = JSON.stringify(slim) + '\n';
    if (Buffer.byteLength(line) <= MAX_LINE_BYTES) return line;
    const v = slim[k];
    if (typeof v === 'string' && v.length > 200) (slim as Record<string, unknown>)[k] = v.slice(0, 200) + '…';
  }
  return JSON.stringify(slim) + '\n';
}
