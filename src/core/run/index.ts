/**
 * The request runner's public surface: `runRequest` (one request end to end) and the stages it
 * is made of, for loops that run several model turns of their own (agent mode).
 */
export { runRequest } from './runRequest';
export type * from './types';
export { fitHistory, renderContext, systemInstructions } from './messages';
export { TraceStore, type RequestRecord, type RequestSummary, type RequestStatus } from './traceStore';
export { RequestRouter, type RouteDecision, type RoutingEvent } from './router';
export { runTurns, type TurnsInput, type TurnsOutput, type BeforeTurn, type TurnGate } from './turns';
export { createRequestContext, type RequestContext } from './stages/context';
export { offerTools } from './stages/tools';
export { preparePrompt, FRAMING_MARGIN, type PromptParts } from './stages/prompt';
export { refusal, emitStart } from './stages/start';
export { contextBudgetFor, packWorkspace, emitPacked, emitPackNotices, type PackResult } from './stages/pack';
export { repack } from './stages/repack';
export { checkBudget, type BudgetOutcome, type Draft } from './stages/budget';
export { buildMessages, emitMeter, promptTokensOf } from './stages/messages';
export { finishRequest, costOfTurns, recordRequest, type RequestEnd } from './stages/account';
