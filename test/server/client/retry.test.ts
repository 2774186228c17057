import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call } from '../../../src/server/client/call.ts';
import { backoffDelayMs, withRetries } from '../../../src/server/client/retry.ts';
import type { TransportResponse } from '../../../src/server/client/transport.ts';

function scripted(responses: TransportResponse[]) {
  const calls: number[] = [];
  return { calls, transport: async () => { calls.push(calls.length); return responses[Math.min(calls.length - 1, responses.length - 1)]!; } };
}

describe('client retries', () => {
  const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, random: () => 1, sleep: async () => {} };

  it('retries network errors and 5xx, then succeeds', async () => {
    const s = scripted([{ kind: 'network-error', message: 'ECONNREFUSED' }, { kind: 'response', status: 503, body: {} }, { kind: 'response', status: 200, body: { ok: 1 } }]);
    const result = await call(withRetries(s.transport, policy), { method: 'GET', path: '/' });
    assert.deepEqual(result, { kind: 'ok', value: { ok: 1 } });
    assert.equal(s.calls.length, 3);
  });

  it('does not retry a refusal (4xx) and returns the API error', async () => {
    const error = { code: 'forbidden', message: 'revoked' };
    const s = scripted([{ kind: 'response', status: 403, body: { error } }]);
    assert.deepEqual(await call(withRetries(s.transport, policy), { method: 'GET', path: '/' }), { kind: 'refused', status: 403, error });
    assert.equal(s.calls.length, 1);
  });

  it('gives up after the attempts with "unavailable"', async () => {
    const s = scripted([{ kind: 'response', status: 500, body: { error: { code: 'internal', message: 'x' } } }]);
    const result = await call(withRetries(s.transport, policy), { method: 'GET', path: '/' });
    assert.deepEqual(result, { kind: 'unavailable', message: 'server answered 500: x' });
    assert.equal(s.calls.length, 4);
  });

  it('backs off exponentially with full jitter under a cap', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, policy, () => 0.999));
    assert.deepEqual(delays, [199, 399, 799, 999, 999, 999]);
    assert.equal(backoffDelayMs(3, policy, () => 0), 0);
  });
});
