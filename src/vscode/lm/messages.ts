/**
 * VS Code's language-model messages -> core's Chat Completions messages (ChatMessage), for requests that reach
 * Ponder's endpoints through `vscode.lm` (the model picker). Parts are recognised by shape, not by
 * class, so this runs (and is unit-tested) without the `vscode` module; unknown parts (images,
 * prompt-tsx data) are skipped since the models are declared text-only.
 */
import type { ChatMessage, ReasoningState, ToolSpec } from '../../core/model/types';

/**
 * The mime type of the data part that carries an endpoint's opaque reasoning state (MAI on
 * Foundry) on an assistant message through VS Code and back, as Copilot carries its own state.
 */
export const REASONING_STATE_MIME = 'application/vnd.ponder.reasoning-state+json';

interface DataPartLike { mimeType: string; data: Uint8Array }
function isData(p: unknown): p is DataPartLike {
  return typeof p === 'object' && p !== null && typeof (p as DataPartLike).mimeType === 'string' && (p as DataPartLike).data instanceof Uint8Array;
}

/** The reasoning state in an assistant message's data parts, if one is there and well formed. */
export function reasoningStateOf(content: ReadonlyArray<unknown>): ReasoningState | undefined {
  const part = content.filter(isData).find((p) => p.mimeType === REASONING_STATE_MIME);
  if (!part) return undefined;
  try {
    const v = JSON.parse(new TextDecoder().decode(part.data)) as ReasoningState;
    return typeof v?.endpoint === 'string' && v.value !== undefined ? v : undefined;
  } catch {
    return undefined;
  }
}

export function encodeReasoningState(state: ReasoningState): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(state));
}

/** VS Code's LanguageModelChatMessageRole values (1 user, 2 assistant; 3 system in newer hosts). */
const ROLE_USER = 1;
const ROLE_ASSISTANT = 2;
const ROLE_SYSTEM = 3;

export interface LmMessageLike {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
  readonly name?: string | undefined;
}

interface TextPartLike { value: string }
interface ToolCallPartLike { callId: string; name: string; input: unknown }
interface ToolResultPartLike { callId: string; content: ReadonlyArray<unknown> }

function isText(p: unknown): p is TextPartLike {
  return typeof p === 'object' && p !== null && typeof (p as TextPartLike).value === 'string' && !('callId' in p);
}
function isToolCall(p: unknown): p is ToolCallPartLike {
  return typeof p === 'object' && p !== null && typeof (p as ToolCallPartLike).callId === 'string' && typeof (p as ToolCallPartLike).name === 'string' && 'input' in p;
}
function isToolResult(p: unknown): p is ToolResultPartLike {
  return typeof p === 'object' && p !== null && typeof (p as ToolResultPartLike).callId === 'string' && Array.isArray((p as ToolResultPartLike).content);
}

/** The text of a tool result's content: text parts joined; other parts (data, tsx) JSON-encoded. */
function resultText(content: ReadonlyArray<unknown>): string {
  return content.map((c) => (isText(c) ? c.value : typeof c === 'string' ? c : JSON.stringify(c))).join('');
}

export function toOpenAiMessages(messages: readonly LmMessageLike[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const text = m.content.filter(isText).map((p) => p.value).join('');
    if (m.role === ROLE_ASSISTANT) {
      const calls = m.content.filter(isToolCall);
      const state = reasoningStateOf(m.content);
      out.push({
        role: 'assistant',
        content: text || (calls.length ? null : ''),
        ...(state ? { reasoningState: state } : {}),
        ...(calls.length ? {
          tool_calls: calls.map((c) => ({ id: c.callId, type: 'function' as const, function: { name: c.name, arguments: JSON.stringify(c.input ?? {}) } })),
        } : {}),
      });
      continue;
    }
    // Tool results ride in user messages in VS Code's model; OpenAI wants one `tool` message each.
    for (const r of m.content.filter(isToolResult)) out.push({ role: 'tool', tool_call_id: r.callId, content: resultText(r.content) });
    if (!text) continue;
    if (m.role === ROLE_SYSTEM) out.push({ role: 'system', content: text });
    else if (m.role === ROLE_USER) out.push({ role: 'user', content: text });
    else out.push({ role: 'user', content: text });
  }
  return out;
}

export interface LmToolLike {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: object | undefined;
}

export function toOpenAiTools(tools: readonly LmToolLike[] | undefined): ToolSpec[] | undefined {
  if (!tools?.length) return undefined;
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: (t.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } },
  }));
}

/** Parses streamed tool-call arguments; a malformed string becomes `{}` plus the raw text for the caller to log. */
export function parseToolInput(args: string): { input: object; error?: string } {
  if (!args.trim()) return { input: {} };
  try {
    const v: unknown = JSON.parse(args);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? { input: v } : { input: { value: v } };
  } catch (err) {
    return { input: {}, error: `tool arguments are not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}
