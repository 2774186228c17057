// The tables of the core server, as Kysely sees them. Times are epoch milliseconds (bigint columns,
// read back as numbers on both stores); lists and maps are JSON text so both stores share one schema.
import type { Generated } from 'kysely';

export type EnrollmentTokenTable = {
  id: string;
  secret_hash: string;
  note: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  max_uses: number | null;
  uses: number;
};

export type HostTable = {
  id: string;
  hostname: string;
  /** JSON array of strings: the tags given at enrollment (host_status.tags holds the reported ones). */
  tags: string;
  credential_hash: string;
  enrollment_token_id: string | null;
  enrolled_at: number;
  revoked_at: number | null;
};

/** The latest heartbeat of each host, one row per host, replaced on every heartbeat. */
export type HostStatusTable = {
  host_id: string;
  last_seen_at: number;
  boot_id: string;
  seq: number;
  agent_version: string;
  content_version: string | null;
  ring: number | null;
  /** JSON array: the tags the agent reported last. */
  tags: string;
  cpu_pct: number;
  rss_mb: number;
  engine_crashes: number;
  quarantined_rules: string;
};

/** Every heartbeat, kept for the health judge's bake windows and pruned by age. */
export type HeartbeatTable = {
  id: Generated<number>;
  host_id: string;
  boot_id: string;
  seq: number;
  received_at: number;
  sent_at: number;
  interval_s: number;
  agent_version: string;
  content_version: string | null;
  ring: number | null;
  cpu_pct: number;
  rss_mb: number;
  events_per_s: number;
  drops: number;
  engine_crashes: number;
  engine_restarts: number;
  quarantined_count: number;
  alerts_total: number;
  /** JSON: sensors, quarantined rule ids, alert counts per rule, tags. */
  detail: string;
};

export type AlertTable = {
  host_id: string;
  alert_id: string;
  rule_id: string;
  rule_title: string;
  level: string;
  occurred_at: number;
  received_at: number;
  content_version: string | null;
  /** JSON of the matched event. */
  event: string;
};

export type AdminTokenTable = {
  id: string;
  secret_hash: string;
  note: string;
  created_at: number;
  revoked_at: number | null;
};

export type Database = {
  enrollment_tokens: EnrollmentTokenTable;
  hosts: HostTable;
  host_status: HostStatusTable;
  heartbeats: HeartbeatTable;
  alerts: AlertTable;
  admin_tokens: AdminTokenTable;
};
