import type { EndpointProfileInput } from '../../../src/core/config/profile';
import { PonderEventSchema } from '../../../src/core/events';
import { resolveProfile, streamTurn } from '../../../src/core/model';
import type { ChatMessage, ModelEvent, StreamTurnRequest, TurnResult } from '../../../src/core/model';

/** A key that is easy to spot if it ever leaks into an event or an error. */
export const SECRET = 'sk-PONDER-LEAK-CANARY-8f3a91';

export function profile(baseUrl: string, over: Partial<EndpointProfileInput> = {}) {
  return resolveProfile({ id: 'test', provider: 'vllm', baseUrl, model: 'test-model', maxRetries: 0, ...over } as EndpointProfileInput);
}

export const ASK: ChatMessage[] = [{ role: 'developer', content: 'Be brief.' }, { role: 'user', content: 'What is 2+2?' }];

export async function turn(req: Omit<StreamTurnRequest, 'emit' | 'messages'> & { messages?: ChatMessage[] }): Promise<{ result: TurnResult; events: ModelEvent[] }> {
  const events: ModelEvent[] = [];
  // Every event must be valid under the shared event model once the runner stamps it.
  const result = await streamTurn({ messages: ASK, ...req, emit: (e) => { PonderEventSchema.parse({ ...e, requestId: 'r', t: 0 }); events.push(e); } });
  return { result, events };
}

export const text = (events: ModelEvent[], type: 'reasoning.delta' | 'content.delta') =>
  events.filter((e): e is Extract<ModelEvent, { type: typeof type }> => e.type === type).map((e) => e.text).join('');

export const errorsOf = (events: ModelEvent[]) => events.filter((e): e is Extract<ModelEvent, { type: 'error' }> => e.type === 'error');
