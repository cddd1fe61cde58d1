/** The model layer: profiles, one streaming client for every OpenAI-compatible dialect, discovery. */
export type * from './types';
export { resolveProfile, defaultProfile, profileProblems, withServerContextWindow, isAzureClassicRoute, foundryRoute, FOUNDRY_ROUTES, reasoningEndpointKey, hasEffortControl } from './profiles';
export { streamTurn } from './client';
export { EndpointMemory } from './endpointMemory';
export { listModels } from './discovery';
export { describeError, scrubSecrets } from './errors';
export { buildRequestBody } from './request';
