// The wire types of ring3's HTTP API (version 1). Shared by the server, the agent-side client and the
// console; the JSON schemas in schemas.ts validate exactly these shapes at the boundary.

/** A sensor's state as the agent sees it. */
export const sensorStates = ['running', 'degraded', 'failed', 'disabled'] as const;
export type SensorState = (typeof sensorStates)[number];

/** `POST /v1/enroll`: an agent trades an enrollment token for its own credential. */
export type EnrollRequest = {
  token: string;
  hostname: string;
  tags?: string[];
  agentVersion?: string;
};
export type EnrollResponse = {
  hostId: string;
  /** Sent back on every agent call as `Authorization: Bearer <credential>`; shown once, stored hashed. */
  credential: string;
  heartbeatIntervalS: number;
};

/**
 * `POST /v1/agents/heartbeat`. Counters (crashes, drops, alerts) cover the interval since the previous
 * heartbeat of the same boot; a retried heartbeat carries the same (bootId, seq) and is stored once.
 */
export type Heartbeat = {
  bootId: string;
  seq: number;
  /** The agent's clock when it built the heartbeat (ISO 8601); the server records its own receive time too. */
  sentAt: string;
  intervalS: number;
  versions: { agent: string; content: string | null };
  ring: number | null;
  tags: string[];
  sensors: { name: string; state: SensorState; eventsPerS: number; drops: number }[];
  cpuPct: number;
  rssMb: number;
  engineCrashes: number;
  engineRestarts: number;
  quarantinedRules: string[];
  alertCounts: Record<string, number>;
  /** Facts from agents newer than the API: stored, not interpreted. */
  extensions?: Record<string, unknown>;
};
export type HeartbeatResponse = {
  /** False when this (bootId, seq) was already stored: a retry, acknowledged all the same. */
  stored: boolean;
  serverTime: string;
  heartbeatIntervalS: number;
  /** What server modules (rollouts) have to say to this host; empty when none. */
  directives: Record<string, unknown>;
};

export const alertLevels = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type AlertLevel = (typeof alertLevels)[number];

/** One alert as the agent spools it. `id` is made by the agent and is unique per host. */
export type AlertUpload = {
  id: string;
  ruleId: string;
  ruleTitle: string;
  level: AlertLevel;
  /** When the detection fired (ISO 8601). */
  time: string;
  contentVersion: string | null;
  /** The matched event and any extra fields, kept as JSON for the SIEM export. */
  event: Record<string, unknown>;
};
/** `POST /v1/agents/alerts` */
export type AlertBatch = { alerts: AlertUpload[] };
export type AlertBatchResponse = {
  /** Every id of the batch: stored now or before. The agent may drop them from its spool. */
  acknowledged: string[];
  stored: number;
  duplicates: number;
};

export type HostState = 'online' | 'silent' | 'never-seen' | 'revoked';

/** A host in `GET /v1/admin/hosts`. */
export type HostSummary = {
  id: string;
  hostname: string;
  tags: string[];
  state: HostState;
  enrolledAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
  agentVersion: string | null;
  contentVersion: string | null;
  ring: number | null;
  cpuPct: number | null;
  rssMb: number | null;
  engineCrashes: number | null;
  quarantinedRules: string[];
};
export type Page<T> = { items: T[]; nextCursor: string | null };

/** An alert in `GET /v1/admin/alerts`. */
export type StoredAlert = AlertUpload & { hostId: string; hostname: string; receivedAt: string };

export type EnrollmentTokenSummary = {
  id: string;
  note: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  maxUses: number | null;
  uses: number;
};
export type CreateEnrollmentTokenRequest = { ttlS?: number; note?: string; maxUses?: number };
/** The token itself is shown once; the server keeps only its hash. */
export type CreatedEnrollmentToken = EnrollmentTokenSummary & { token: string };

/** `all`: revoke every stored admin token, not only the caller's (needed when the caller is the configured one). */
export type RotateAdminTokenRequest = { note?: string; all?: boolean };
/** The new admin token, shown once; the tokens named by `revoked` stopped working. */
export type RotatedAdminToken = { id: string; token: string; createdAt: string; revoked: 'caller' | 'all' };

/** Every error body of the API. `where` points at the bad part of the request (e.g. `body/alerts/3/level`). */
export type ApiError = { error: { code: string; message: string; where?: string } };
