// Retries with capped exponential backoff and full jitter, so a fleet that lost its server does not
// come back in lockstep. Only what may succeed later is retried: network errors, 408, 429 and 5xx.
import type { Transport, TransportRequest, TransportResponse } from './transport.ts';

export type RetryPolicy = {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injected for tests: how to wait, and the random source of the jitter. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export function isRetryable(response: TransportResponse): boolean {
  if (response.kind === 'network-error') return true;
  return response.status === 408 || response.status === 429 || response.status >= 500;
}

export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export function withRetries(transport: Transport, policy: RetryPolicy): Transport {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = policy.random ?? Math.random;
  return async (request: TransportRequest) => {
    let response = await transport(request);
    for (let attempt = 1; attempt < policy.attempts && isRetryable(response); attempt++) {
      await sleep(backoffDelayMs(attempt, policy, random));
      response = await transport(request);
    }
    return response;
  };
}
