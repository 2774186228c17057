// The storage seam of the server: everything the HTTP layer, the rollout engine and the health judge
// read or write about enrollment, hosts, heartbeats and alerts goes through `Store`. One Kysely
// implementation serves SQLite and PostgreSQL (kysely-store.ts); tests run one table of cases on both.
// Times are epoch milliseconds; JSON columns are parsed here, so callers see plain values.
import type { Kysely } from 'kysely';
import type { AlertUpload, Heartbeat, HostState } from '../api/types.ts';
import type { Database } from './schema.ts';
import type { StoreDialect } from './migrations.ts';

export type EnrollmentTokenRecord = {
  id: string;
  secretHash: string;
  note: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  maxUses: number | null;
  uses: number;
};

export type AdminTokenRecord = { id: string; secretHash: string; note: string; createdAt: number; revokedAt: number | null };

export type NewHost = { id: string; hostname: string; tags: string[]; credentialHash: string; enrolledAt: number };
export type HostAuthRecord = { id: string; credentialHash: string; revokedAt: number | null };

/** A host with its latest reported status (null fields: it never sent a heartbeat). */
export type HostRecord = {
  id: string;
  hostname: string;
  enrollmentTags: string[];
  enrolledAt: number;
  revokedAt: number | null;
  status: {
    lastSeenAt: number;
    bootId: string;
    seq: number;
    agentVersion: string;
    contentVersion: string | null;
    ring: number | null;
    tags: string[];
    cpuPct: number;
    rssMb: number;
    engineCrashes: number;
    quarantinedRules: string[];
  } | null;
};

export type AlertUploadRecord = { hostId: string; alerts: readonly AlertUpload[]; receivedAt: number };
export type HeartbeatRecord = { hostId: string; receivedAt: number; heartbeat: Heartbeat };

/** One stored heartbeat, flattened for the health judge. */
export type HeartbeatSample = {
  hostId: string;
  receivedAt: number;
  bootId: string;
  seq: number;
  intervalS: number;
  agentVersion: string;
  contentVersion: string | null;
  ring: number | null;
  cpuPct: number;
  rssMb: number;
  eventsPerS: number;
  drops: number;
  engineCrashes: number;
  engineRestarts: number;
  quarantinedCount: number;
  alertsTotal: number;
};

export type StoredAlertRecord = AlertUpload & { hostId: string; hostname: string; receivedAt: number };

export type Page<T> = { items: T[]; nextCursor: string | null };

export type HostQuery = {
  limit: number;
  cursor?: string;
  tag?: string;
  state?: HostState;
  /** With `state`: a host is online when it was seen after `now - silentAfterMs`. */
  now: number;
  silentAfterMs: number;
};
export type AlertQuery = { limit: number; cursor?: string; hostId?: string; ruleId?: string; level?: string; since?: number };
export type HeartbeatQuery = { since: number; until: number; hostIds?: readonly string[]; contentVersion?: string | null };

export type EnrollOutcome = { kind: 'ok' } | { kind: 'token-unusable' };

export type Store = {
  readonly dialect: StoreDialect;
  /** The Kysely handle, for server modules (rollouts) that keep their own tables beside these. */
  readonly db: Kysely<Database>;

  createEnrollmentToken(token: EnrollmentTokenRecord): Promise<void>;
  getEnrollmentToken(id: string): Promise<EnrollmentTokenRecord | undefined>;
  listEnrollmentTokens(): Promise<EnrollmentTokenRecord[]>;
  revokeEnrollmentToken(id: string, at: number): Promise<boolean>;
  /** Spends one use of the token and creates the host, atomically; fails if the token stopped being usable. */
  enrollHost(tokenId: string, host: NewHost, now: number): Promise<EnrollOutcome>;

  getHostAuth(id: string): Promise<HostAuthRecord | undefined>;
  getHost(id: string): Promise<HostRecord | undefined>;
  listHosts(query: HostQuery): Promise<Page<HostRecord>>;
  /** Every host that is not revoked, unpaged: the input of ring assignment and the health judge. */
  listActiveHosts(): Promise<HostRecord[]>;
  revokeHost(id: string, at: number): Promise<boolean>;
  /** Ids of hosts revoked at or after `since` (servers poll this to drop cached credentials). */
  listRevokedHostIds(since: number): Promise<string[]>;

  /** Stores heartbeats in one transaction; `stored[i]` is false when record i was already stored (a retry). */
  recordHeartbeats(records: readonly HeartbeatRecord[]): Promise<{ stored: boolean[] }>;
  listHeartbeats(query: HeartbeatQuery): Promise<HeartbeatSample[]>;
  pruneHeartbeats(before: number): Promise<number>;

  /** Stores the alerts not stored before (by host and alert id); returns the ids stored now. */
  storeAlerts(hostId: string, alerts: readonly AlertUpload[], receivedAt: number): Promise<{ storedIds: string[] }>;
  /** Several hosts' uploads in one transaction; one result per upload, in order. */
  storeAlertUploads(uploads: readonly AlertUploadRecord[]): Promise<{ storedIds: string[] }[]>;
  listAlerts(query: AlertQuery): Promise<Page<StoredAlertRecord>>;

  createAdminToken(token: AdminTokenRecord): Promise<void>;
  getAdminToken(id: string): Promise<AdminTokenRecord | undefined>;
  countAdminTokens(): Promise<number>;
  /**
   * Adds `next` and revokes, in one transaction, either the token `revoke.id` or every other stored
   * token. False (and nothing written) when `revoke.id` is no longer active: a rotation raced this one.
   */
  rotateAdminToken(next: AdminTokenRecord, revoke: { kind: 'token'; id: string } | { kind: 'all' }, at: number): Promise<boolean>;

  close(): Promise<void>;
};

/** The large writes, which each store may run its own way (SQLite: on a writer thread). */
export type ActivityWrites = Pick<Store, 'recordHeartbeats' | 'storeAlertUploads' | 'pruneHeartbeats'>;
