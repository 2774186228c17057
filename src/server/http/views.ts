// Store records as the API shows them: ISO times, a host's state from its last heartbeat.
import type { EnrollmentTokenSummary, HostState, HostSummary, StoredAlert } from '../api/types.ts';
import type { EnrollmentTokenRecord, HostRecord, StoredAlertRecord } from '../storage/store.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function hostState(host: HostRecord, now: number, silentAfterMs: number): HostState {
  if (host.revokedAt !== null) return 'revoked';
  if (host.status === null) return 'never-seen';
  return host.status.lastSeenAt >= now - silentAfterMs ? 'online' : 'silent';
}

export function hostView(host: HostRecord, now: number, silentAfterMs: number): HostSummary {
  const status = host.status;
  return {
    id: host.id,
    hostname: host.hostname,
    tags: status?.tags ?? host.enrollmentTags,
    state: hostState(host, now, silentAfterMs),
    enrolledAt: iso(host.enrolledAt),
    revokedAt: isoOrNull(host.revokedAt),
    lastSeenAt: isoOrNull(status?.lastSeenAt ?? null),
    agentVersion: status?.agentVersion ?? null,
    contentVersion: status?.contentVersion ?? null,
    ring: status?.ring ?? null,
    cpuPct: status?.cpuPct ?? null,
    rssMb: status?.rssMb ?? null,
    engineCrashes: status?.engineCrashes ?? null,
    quarantinedRules: status?.quarantinedRules ?? [],
  };
}

export function alertView(alert: StoredAlertRecord): StoredAlert {
  const { receivedAt, ...rest } = alert;
  return { ...rest, receivedAt: iso(receivedAt) };
}

export function tokenView(token: EnrollmentTokenRecord): EnrollmentTokenSummary {
  return {
    id: token.id,
    note: token.note,
    createdAt: iso(token.createdAt),
    expiresAt: iso(token.expiresAt),
    revokedAt: isoOrNull(token.revokedAt),
    maxUses: token.maxUses,
    uses: token.uses,
  };
}
