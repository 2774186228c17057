// Host authentication with a cache of verified credentials. Every agent call is authenticated, and
// at fleet scale a store read per call is most of the store's work; a host's credential never
// changes, so once verified it is remembered. Revocation still cuts a host off: at once on the
// server that revoked it (`forget`), and within one `sync` period on the other servers sharing the
// database, which poll for hosts revoked since their last look.
import type { Store } from '../storage/store.ts';
import { authenticateHost, type AuthOutcome } from './authenticate.ts';
import { bearerToken, hashSecret } from './secrets.ts';

export type HostAuthenticator = {
  authenticate(header: string | undefined): Promise<AuthOutcome<{ hostId: string }>>;
  forget(hostId: string): void;
  /** Drops hosts revoked since the previous sync; call it periodically. */
  sync(): Promise<void>;
};

export function createHostAuthenticator(store: Store, options: { now: () => number; maxEntries: number }): HostAuthenticator {
  // Keyed by the SHA-256 of the whole presented token: a hit proves the caller holds that token.
  const verified = new Map<string, string>();
  const byHost = new Map<string, string>();
  // Overlap the polling windows a little: a revocation committed while we polled is not missed.
  let syncedUpTo = options.now() - 60_000;
  return {
    async authenticate(header) {
      const token = bearerToken(header);
      const key = token === undefined ? undefined : hashSecret(token);
      const hit = key === undefined ? undefined : verified.get(key);
      if (hit !== undefined) return { kind: 'ok', value: { hostId: hit } };
      const outcome = await authenticateHost(store, header);
      if (outcome.kind === 'ok' && key !== undefined) {
        if (verified.size >= options.maxEntries) {
          verified.clear();
          byHost.clear();
        }
        verified.set(key, outcome.value.hostId);
        byHost.set(outcome.value.hostId, key);
      }
      return outcome;
    },
    forget(hostId) {
      const key = byHost.get(hostId);
      byHost.delete(hostId);
      if (key !== undefined) verified.delete(key);
    },
    async sync() {
      const startedAt = options.now();
      for (const hostId of await store.listRevokedHostIds(syncedUpTo)) this.forget(hostId);
      syncedUpTo = startedAt - 60_000;
    },
  };
}
