/**
 * A small parser for the Prometheus text exposition format (0.0.4, and the OpenMetrics text that
 * vLLM may send with `# EOF`). Written here rather than taken from npm: `parse-prometheus-text-format`
 * 1.1.1 (last published 2024-12) merges histogram series that differ by labels and drops their
 * `_sum`/`_count` (vLLM labels every series with `model_name`, so TTFT was lost), and
 * `prom2javascript` 0.2.0 rejects metric names with a colon, i.e. every `vllm:*` metric.
 *
 * The output is flat samples (name, labels, value) plus each family's TYPE and HELP: readers look
 * samples up by their exposed name (`vllm:time_to_first_token_seconds_sum`), so no suffix rules.
 * A malformed line is skipped and counted, never fatal: one odd metric must not hide the rest.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'info' | 'stateset' | 'gaugehistogram' | 'unknown';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs?: number;
}

export interface Exposition {
  readonly samples: Sample[];
  readonly types: ReadonlyMap<string, MetricType>;
  readonly help: ReadonlyMap<string, string>;
  /** Lines that could not be parsed, with their line number (1-based), for the log. */
  readonly errors: string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, MetricType>();
  const help = new Map<string, string>();
  const errors: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (!line.trim()) continue;
    if (line.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s+(.*))?$/.exec(line);
      if (meta?.[1] === 'TYPE') types.set(meta[2], (meta[3]?.trim().toLowerCase() || 'untyped') as MetricType);
      else if (meta?.[1] === 'HELP') help.set(meta[2], unescapeHelp(meta[3] ?? ''));
      continue; // other comments, `# EOF`, `# UNIT`
    }
    try {
      samples.push(parseSampleLine(line));
    } catch (err) {
      errors.push(`line ${i + 1}: ${(err as Error).message}: ${line.slice(0, 120)}`);
    }
  }
  return { samples, types, help, errors };
}

function parseSampleLine(line: string): Sample {
  const nameMatch = NAME.exec(line);
  if (!nameMatch) throw new Error('no metric name');
  const name = nameMatch[0];
  let pos = name.length;
  let labels: Record<string, string> = {};
  if (line[pos] === '{') {
    const parsed = parseLabels(line, pos + 1);
    labels = parsed.labels;
    pos = parsed.end;
  }
  const rest = line.slice(pos).trim().split(/\s+/);
  if (!rest[0]) throw new Error('no value');
  const value = parseValue(rest[0]);
  const timestampMs = rest[1] !== undefined ? Number(rest[1]) : undefined;
  if (timestampMs !== undefined && !Number.isFinite(timestampMs)) throw new Error(`bad timestamp "${rest[1]}"`);
  return timestampMs === undefined ? { name, labels, value } : { name, labels, value, timestampMs };
}

/** Parses `a="x",b="y\"z"}` starting after `{`; returns the labels and the index after `}`. */
function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let pos = start;
  for (;;) {
    while (line[pos] === ' ' || line[pos] === '\t') pos++;
    if (line[pos] === '}') return { labels, end: pos + 1 };
    const nameMatch = LABEL_NAME.exec(line.slice(pos));
    if (!nameMatch) throw new Error(`bad label name at column ${pos + 1}`);
    const labelName = nameMatch[0];
    pos += labelName.length;
    while (line[pos] === ' ') pos++;
    if (line[pos] !== '=' ) throw new Error(`expected = after label "${labelName}"`);
    pos++;
    while (line[pos] === ' ') pos++;
    if (line[pos] !== '"') throw new Error(`expected a quoted value for label "${labelName}"`);
    pos++;
    let value = '';
    for (;;) {
      const c = line[pos];
      if (c === undefined) throw new Error(`unterminated value of label "${labelName}"`);
      if (c === '"') { pos++; break; }
      if (c === '\\') {
        const n = line[pos + 1];
        value += n === 'n' ? '\n' : n === '"' ? '"' : n === '\\' ? '\\' : '\\' + (n ?? '');
        pos += 2;
        continue;
      }
      value += c;
      pos++;
    }
    labels[labelName] = value;
    while (line[pos] === ' ') pos++;
    if (line[pos] === ',') pos++;
    else if (line[pos] !== '}') throw new Error(`expected , or } after label "${labelName}"`);
  }
}

function parseValue(text: string): number {
  switch (text) {
    case '+Inf': case 'Inf': case '+inf': case 'inf': return Infinity;
    case '-Inf': case '-inf': return -Infinity;
    case 'NaN': case 'nan': return NaN;
  }
  const v = Number(text);
  if (Number.isNaN(v)) throw new Error(`bad value "${text}"`);
  return v;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** Samples of one exposed name (e.g. a histogram's `_bucket` series), optionally filtered by labels. */
export function samplesOf(exp: Exposition, name: string, match: Record<string, string> = {}): Sample[] {
  return exp.samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}
