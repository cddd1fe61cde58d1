import { reasoningEndpointKey } from './profiles';
import type { ChatMessage, ResolvedProfile, ToolSpec } from './types';

/** Sampling parameters reasoning models tend to refuse; dropped where the profile says so. */
const SAMPLING = ['temperature', 'top_p'];

/** One message as sent on the wire: dialect decides the role of instructions and the reasoning field. */
export function toWireMessage(m: ChatMessage, p: ResolvedProfile): Record<string, unknown> {
  if (m.role === 'developer' || m.role === 'system') return { role: p.developerRole === 'developer' ? m.role : 'system', content: m.content };
  if (m.role !== 'assistant') return { ...m };
  const out: Record<string, unknown> = { role: 'assistant', content: m.content };
  // Opaque reasoning goes back unchanged, and only to the endpoint that produced it.
  if (p.encryptedReasoning && m.reasoningState && m.reasoningState.endpoint === reasoningEndpointKey(p)) out.reasoning = m.reasoningState.value;
  if (m.tool_calls?.length) {
    out.tool_calls = m.tool_calls;
    // Some servers require the reasoning back on tool-call turns, others reject unknown fields.
    if (p.sendReasoningBack) {
      if (p.reasoningField === 'reasoning_details') {
        if (m.reasoningDetails?.length) out.reasoning_details = m.reasoningDetails; // unchanged, as OpenRouter asks
        else if (m.reasoning) out.reasoning = m.reasoning;
      } else if (m.reasoning) {
        out[p.reasoningField] = m.reasoning;
      }
    }
  }
  return out;
}

export interface BodyOptions {
  model: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  extraBody?: Record<string, unknown>;
  /** The conversation continues after this turn: ask for the reasoning state where it is opaque. */
  keepReasoning?: boolean;
}

/** The Chat Completions request body for a profile's dialect. Always streaming. */
export function buildRequestBody(p: ResolvedProfile, o: BodyOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: o.model,
    messages: o.messages.map((m) => toWireMessage(m, p)),
    stream: true,
  };
  if (p.includeUsage) body.stream_options = { include_usage: true };
  body[p.maxTokensParam] = p.maxOutputTokens;
  if (o.tools?.length) body.tools = o.tools;
  if (p.reasoningEffort) {
    if (p.reasoningEffortStyle === 'openrouter') body.reasoning = { effort: p.reasoningEffort };
    else if (p.reasoningEffortStyle === 'reasoning_effort') body.reasoning_effort = p.reasoningEffort;
  }
  if (o.temperature !== undefined) body.temperature = o.temperature;
  Object.assign(body, o.extraBody ?? {});
  if (p.encryptedReasoning && o.keepReasoning) body.reasoning_display = 'encrypted';
  if (!p.allowsTemperature) for (const k of SAMPLING) delete body[k];
  // An endpoint that documents its whole parameter list gets nothing else (MAI on Foundry).
  if (p.documentedParams) for (const k of Object.keys(body)) if (!p.documentedParams.includes(k)) delete body[k];
  return body;
}
