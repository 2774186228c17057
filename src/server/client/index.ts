// The public surface of the API clients.
export { createAgentClient, enroll, type AgentClient, type ClientOptions } from './agent-client.ts';
export { createAdminClient, type AdminClient, type AlertFilter, type HostFilter } from './admin-client.ts';
export { describeFailure, type CallResult } from './call.ts';
export { defaultRetryPolicy, type RetryPolicy } from './retry.ts';
export { httpTransport, type Transport, type TransportOptions } from './transport.ts';
