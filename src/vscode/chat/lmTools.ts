import * as vscode from 'vscode';
import { externalTool, toolNameFor } from '../../core/tools/external';
import type { ToolDefinition } from '../../core/tools/types';

/**
 * VS Code's tools (other extensions' and the user's MCP servers', `vscode.lm.tools`) offered to
 * the model by `@ponder`: those named by `ponder.tools.vscodeTools` (`*` wildcards), plus those
 * the user named with `#` in the request (`request.toolReferences`; a `#` tool set arrives as its
 * tools). The Chat view's tool picker reaches a participant only as `request.tools`, which VS Code
 * 1.139 gives only to extensions with the proposed `chatParticipantAdditions` API; where it is
 * there, tools turned off in it are left out (the picker has every tool on by default, VS Code's
 * own agent tools included, so it narrows the setting rather than adding to it). Each call goes
 * through `vscode.lm.invokeTool` with the request's `toolInvocationToken`, so VS Code shows its
 * own confirmation; the tool loop records the call and its result in the trace.
 */

/** `mcp_*` → /^mcp_.*$/; other characters are literal. */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  const res = patterns.filter((p) => p.trim()).map((p) => new RegExp(`^${p.trim().split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i'));
  return (name) => res.some((r) => r.test(name));
}

/** Names the user referenced in this request with `#tool`. */
export function pickedToolNames(request: vscode.ChatRequest): Set<string> {
  return new Set(request.toolReferences.map((r) => r.name));
}

/** Tools turned off in the Chat view's tool picker, where the request carries its state (`request.tools`: tool or name -> enabled). */
export function disabledToolNames(request: vscode.ChatRequest): Set<string> {
  const off = new Set<string>();
  const tools = (request as unknown as { tools?: Map<unknown, boolean> }).tools;
  if (tools instanceof Map) {
    for (const [k, on] of tools) {
      const name = typeof k === 'string' ? k : (k as { name?: unknown })?.name;
      if (!on && typeof name === 'string') off.add(name);
    }
  }
  return off;
}

/** At most this many are offered: providers cap the tool list (128 on OpenAI-style APIs) and each costs prompt tokens. */
export const MAX_VSCODE_TOOLS = 64;

export function vscodeToolsFor(
  request: Pick<vscode.ChatRequest, 'toolInvocationToken'> & Partial<Pick<vscode.ChatRequest, 'toolReferences'>>,
  patterns: readonly string[], picked: ReadonlySet<string>, reserved: ReadonlySet<string>, disabled: ReadonlySet<string> = new Set(),
): ToolDefinition[] {
  const match = nameMatcher(patterns);
  const chosen = vscode.lm.tools.filter((t) => picked.has(t.name) || (match(t.name) && !disabled.has(t.name)));
  const taken = new Set(reserved);
  const out: ToolDefinition[] = [];
  // The user's picks first, so the cap never drops them.
  chosen.sort((a, b) => Number(picked.has(b.name)) - Number(picked.has(a.name)));
  for (const info of chosen.slice(0, MAX_VSCODE_TOOLS)) {
    const name = toolNameFor(info.name, taken);
    taken.add(name);
    out.push(externalTool({
      name, description: info.description, inputSchema: info.inputSchema as Record<string, unknown> | undefined,
      invoke: (args, ctx) => invoke(info.name, args, request.toolInvocationToken, ctx.signal),
    }));
  }
  return out;
}

/**
 * "Skip" in VS Code's confirmation is no error: VS Code returns a result in these words (1.139).
 * The model gets them as they are; the trace marks the call as not run rather than as a success.
 */
const SKIPPED = /^The user chose to skip the tool call/;

async function invoke(name: string, input: Record<string, unknown>, token: vscode.ChatParticipantToolToken | undefined, signal?: AbortSignal): Promise<{ ok: boolean; text: string; summary?: string }> {
  const cts = new vscode.CancellationTokenSource();
  const onAbort = () => cts.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: token }, cts.token);
    const text = resultText(result);
    return SKIPPED.test(text) ? { ok: false, text, summary: `skipped in VS Code's confirmation: ${text}` } : { ok: true, text };
  } catch (err) {
    // A failed or cancelled call: the model is told and moves on.
    return { ok: false, text: `${name} did not run: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    cts.dispose();
  }
}

/** Text parts as they are; anything else (prompt-tsx, data) as JSON, so nothing is silently lost. */
export function resultText(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => {
    if (part instanceof vscode.LanguageModelTextPart) return part.value;
    try { return JSON.stringify(part); } catch { return String(part); }
  }).join('\n');
}
