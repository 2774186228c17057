// Turns a transport response into a typed result: the body on 2xx; "refused" for a 4xx (retrying
// will not help: fix the request or re-enroll); "unavailable" when the server could not be reached
// or failed (after the retries): keep the data and try again later.
import type { ApiError } from '../api/types.ts';
import type { Transport, TransportRequest } from './transport.ts';

export type CallResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; status: number; error: ApiError['error'] }
  | { kind: 'unavailable'; message: string };

export async function call<T>(transport: Transport, request: TransportRequest): Promise<CallResult<T>> {
  const response = await transport(request);
  if (response.kind === 'network-error') return { kind: 'unavailable', message: response.message };
  if (response.status >= 200 && response.status < 300) return { kind: 'ok', value: response.body as T };
  const error = (response.body as Partial<ApiError> | undefined)?.error;
  const text = error !== undefined && typeof error.message === 'string' ? `: ${error.message}` : '';
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    return { kind: 'unavailable', message: `server answered ${response.status}${text}` };
  }
  if (error !== undefined && typeof error.code === 'string') return { kind: 'refused', status: response.status, error };
  return { kind: 'refused', status: response.status, error: { code: 'http-error', message: `server answered ${response.status}` } };
}

/** One line for people: "server refused (403 enrollment-refused): …" or "server unavailable: …". */
export function describeFailure(result: Exclude<CallResult<unknown>, { kind: 'ok' }>): string {
  return result.kind === 'unavailable'
    ? `server unavailable: ${result.message}`
    : `server refused (${result.status} ${result.error.code}): ${result.error.message}`;
}
