// The agent's side of the API: enroll once, then heartbeat and upload alerts with its credential.
// Used by the agent (through a port it defines, wired by the CLI) and by the fleet simulator.
import type { AlertBatch, AlertBatchResponse, EnrollRequest, EnrollResponse, Heartbeat, HeartbeatResponse, HostSummary } from '../api/types.ts';
import { call, type CallResult } from './call.ts';
import { defaultRetryPolicy, withRetries, type RetryPolicy } from './retry.ts';
import { httpTransport, type Transport, type TransportOptions } from './transport.ts';

export type ClientOptions = TransportOptions & {
  retry?: RetryPolicy;
  /** Replaces the HTTP transport (tests, or an in-process server). */
  transport?: Transport;
};

export type AgentClient = {
  /**
   * Sends one heartbeat. Retrying the same heartbeat (same bootId and seq) is safe: the server
   * stores it once. On "unavailable", keep the interval's counters and send them with the next seq.
   */
  heartbeat(heartbeat: Heartbeat): Promise<CallResult<HeartbeatResponse>>;
  /** Uploads a batch from the spool; drop from the spool only the `acknowledged` ids. */
  uploadAlerts(batch: AlertBatch): Promise<CallResult<AlertBatchResponse>>;
  self(): Promise<CallResult<HostSummary>>;
};

function transportOf(options: ClientOptions): Transport {
  return withRetries(options.transport ?? httpTransport(options), options.retry ?? defaultRetryPolicy);
}

export function enroll(options: ClientOptions, request: EnrollRequest): Promise<CallResult<EnrollResponse>> {
  return call<EnrollResponse>(transportOf(options), { method: 'POST', path: '/v1/enroll', body: request });
}

export function createAgentClient(options: ClientOptions & { credential: string }): AgentClient {
  const transport = transportOf(options);
  const bearer = options.credential;
  return {
    heartbeat: (heartbeat) => call(transport, { method: 'POST', path: '/v1/agents/heartbeat', body: heartbeat, bearer }),
    uploadAlerts: (batch) => call(transport, { method: 'POST', path: '/v1/agents/alerts', body: batch, bearer }),
    self: () => call(transport, { method: 'GET', path: '/v1/agents/self', bearer }),
  };
}
