// The administrator's side of the API, for the CLI (and scripts). `request` reaches routes that
// server modules add (rollouts) with the same auth, retries and error handling.
import type { CreateEnrollmentTokenRequest, CreatedEnrollmentToken, EnrollmentTokenSummary, HostState, HostSummary, Page, RotateAdminTokenRequest, RotatedAdminToken, StoredAlert } from '../api/types.ts';
import { call, type CallResult } from './call.ts';
import type { ClientOptions } from './agent-client.ts';
import { defaultRetryPolicy, withRetries } from './retry.ts';
import { httpTransport, type HttpMethod } from './transport.ts';

export type HostFilter = { limit?: number; cursor?: string; tag?: string; state?: HostState };
export type AlertFilter = { limit?: number; cursor?: string; hostId?: string; ruleId?: string; level?: string; since?: string };

export type AdminClient = {
  request<T>(method: HttpMethod, path: string, body?: unknown): Promise<CallResult<T>>;
  listHosts(filter?: HostFilter): Promise<CallResult<Page<HostSummary>>>;
  getHost(id: string): Promise<CallResult<HostSummary>>;
  revokeHost(id: string): Promise<CallResult<{ revoked: boolean }>>;
  listAlerts(filter?: AlertFilter): Promise<CallResult<Page<StoredAlert>>>;
  createEnrollmentToken(request: CreateEnrollmentTokenRequest): Promise<CallResult<CreatedEnrollmentToken>>;
  listEnrollmentTokens(): Promise<CallResult<{ items: EnrollmentTokenSummary[] }>>;
  revokeEnrollmentToken(id: string): Promise<CallResult<{ revoked: boolean }>>;
  /** Not retried: a retry after a lost answer would find the caller's token already revoked. */
  rotateAdminToken(request: RotateAdminTokenRequest): Promise<CallResult<RotatedAdminToken>>;
};

export function createAdminClient(options: ClientOptions & { adminToken: string }): AdminClient {
  const once = options.transport ?? httpTransport(options);
  const transport = withRetries(once, options.retry ?? { ...defaultRetryPolicy, attempts: 3 });
  const request = <T>(method: HttpMethod, path: string, body?: unknown) =>
    call<T>(transport, { method, path, bearer: options.adminToken, ...(body === undefined ? {} : { body }) });
  const id = encodeURIComponent;
  return {
    request,
    listHosts: (filter = {}) => request('GET', `/v1/admin/hosts${query(filter)}`),
    getHost: (hostId) => request('GET', `/v1/admin/hosts/${id(hostId)}`),
    revokeHost: (hostId) => request('POST', `/v1/admin/hosts/${id(hostId)}/revoke`),
    listAlerts: (filter = {}) => request('GET', `/v1/admin/alerts${query(filter)}`),
    createEnrollmentToken: (body) => request('POST', '/v1/admin/enrollment-tokens', body),
    listEnrollmentTokens: () => request('GET', '/v1/admin/enrollment-tokens'),
    revokeEnrollmentToken: (tokenId) => request('DELETE', `/v1/admin/enrollment-tokens/${id(tokenId)}`),
    rotateAdminToken: (body) => call(once, { method: 'POST', path: '/v1/admin/admin-token/rotate', bearer: options.adminToken, body }),
  };
}

function query(filter: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
