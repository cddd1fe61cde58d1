import { z } from 'zod';
import type { ToolDefinition } from './types';

/** The OpenAI Chat Completions tool shape; the JSON schema is generated from the zod schema. */
export interface ChatTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export function toChatTool(tool: ToolDefinition): ChatTool {
  if (tool.parameters) return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
  const schema = z.toJSONSchema(tool.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: stripSafeIntBounds(schema) } };
}

/** zod writes ±MAX_SAFE_INTEGER bounds for every int; they are noise in the model's prompt. */
function stripSafeIntBounds(node: unknown): Record<string, unknown> {
  if (Array.isArray(node)) return node.map(stripSafeIntBounds) as unknown as Record<string, unknown>;
  if (!node || typeof node !== 'object') return node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'minimum' || k === 'maximum') && Math.abs(v as number) === Number.MAX_SAFE_INTEGER) continue;
    out[k] = v && typeof v === 'object' ? stripSafeIntBounds(v) : v;
  }
  return out;
}

const ARTICLE: Record<string, string> = {
  string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false',
  array: 'an array', object: 'an object',
};

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && !Number.isInteger(v)) return `the number ${v}`;
  return typeof v === 'string' ? `a string` : `${typeof v === 'object' ? 'an object' : `the ${typeof v} ${String(v)}`}`;
}

function valueAt(input: unknown, p: PropertyKey[]): unknown {
  let cur = input;
  for (const key of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function pathName(p: PropertyKey[]): string {
  return p.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)), '');
}

/** "argument 'path' must be a string (got the number 3)": what the model needs to fix its call. */
export function describeArgumentError(error: z.ZodError, input: unknown): string {
  return error.issues.map((issue) => {
    const name = pathName(issue.path);
    const where = name ? `argument '${name}'` : 'the arguments';
    if (issue.code === 'invalid_type') {
      const got = valueAt(input, issue.path);
      const want = ARTICLE[issue.expected] ?? issue.expected;
      if (got === undefined && name) return `${where} is required (${want})`;
      return `${where} must be ${want} (got ${describeValue(got)})`;
    }
    if (issue.code === 'unrecognized_keys') return `unknown argument${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${name ? name + '.' : ''}${k}'`).join(', ')}`;
    if (issue.code === 'invalid_value') return `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    return `${where}: ${issue.message}`;
  }).join('; ');
}

/** Parses the model's JSON arguments and validates them; never throws. */
export function parseArguments<S extends z.ZodType>(schema: S, raw: string): { ok: true; value: z.infer<S> } | { ok: false; error: string } {
  let input: unknown;
  const text = raw.trim() === '' ? '{}' : raw;
  try {
    input = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `the arguments are not valid JSON (${e instanceof Error ? e.message : String(e)}); send one JSON object` };
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, error: 'the arguments must be one JSON object' };
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, error: describeArgumentError(parsed.error, input) };
  return { ok: true, value: parsed.data };
}

/** Key-order independent form of the arguments, to spot a call repeated word for word. */
export function canonicalArguments(raw: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(raw)));
  } catch {
    return raw.trim();
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}
