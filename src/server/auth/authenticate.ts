// Who is calling: an enrolled, unrevoked host or an administrator. Returns a result with the reason
// for a refusal; the HTTP layer turns it into 401/403 and a metric, never into detail for the caller.
import type { Store } from '../storage/store.ts';
import { bearerToken, parseSecret, secretMatches } from './secrets.ts';

export type AuthOutcome<T> = { kind: 'ok'; value: T } | { kind: 'refused'; reason: 'missing' | 'malformed' | 'unknown' | 'revoked' };

export async function authenticateHost(store: Store, header: string | undefined): Promise<AuthOutcome<{ hostId: string }>> {
  const token = bearerToken(header);
  if (token === undefined) return { kind: 'refused', reason: 'missing' };
  const parsed = parseSecret('host', token);
  if (parsed === undefined) return { kind: 'refused', reason: 'malformed' };
  const host = await store.getHostAuth(parsed.id);
  if (host === undefined || !secretMatches(parsed.secret, host.credentialHash)) return { kind: 'refused', reason: 'unknown' };
  if (host.revokedAt !== null) return { kind: 'refused', reason: 'revoked' };
  return { kind: 'ok', value: { hostId: host.id } };
}

/**
 * Admin tokens live in the store (made at first start or by an admin); `configuredHash` is the
 * hash of a token given by configuration instead, which needs no store row.
 */
export async function authenticateAdmin(store: Store, header: string | undefined, configuredHash: string | undefined): Promise<AuthOutcome<{ tokenId: string }>> {
  const token = bearerToken(header);
  if (token === undefined) return { kind: 'refused', reason: 'missing' };
  if (configuredHash !== undefined && secretMatches(token, configuredHash)) return { kind: 'ok', value: { tokenId: 'configured' } };
  const parsed = parseSecret('admin', token);
  if (parsed === undefined) return { kind: 'refused', reason: 'malformed' };
  const stored = await store.getAdminToken(parsed.id);
  if (stored === undefined || !secretMatches(parsed.secret, stored.secretHash)) return { kind: 'refused', reason: 'unknown' };
  if (stored.revokedAt !== null) return { kind: 'refused', reason: 'revoked' };
  return { kind: 'ok', value: { tokenId: stored.id } };
}
