/** The request runner's public surface. */
export { runRequest } from './runRequest';
export type * from './types';
export { fitHistory, renderContext, systemInstructions } from './messages';
export { TraceStore, type RequestRecord, type RequestSummary, type RequestStatus } from './traceStore';
