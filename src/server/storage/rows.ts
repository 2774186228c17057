// Conversions between table rows and the Store's records: JSON columns, numeric columns that a
// driver may hand back as strings, and opaque page cursors.
import type { Selectable } from 'kysely';
import type { AlertLevel } from '../api/types.ts';
import type { AlertTable, EnrollmentTokenTable, HeartbeatTable, HostStatusTable, HostTable } from './schema.ts';
import type { EnrollmentTokenRecord, HeartbeatSample, HostRecord, StoredAlertRecord } from './store.ts';

export function num(value: number | string | bigint): number {
  return typeof value === 'number' ? value : Number(value);
}
export function numOrNull(value: number | string | bigint | null): number | null {
  return value === null ? null : num(value);
}

export function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor with the given element types, or undefined if it is not one. */
export function decodeCursor(cursor: string, types: readonly ('string' | 'number')[]): (string | number)[] | undefined {
  const values = parseJson<unknown>(Buffer.from(cursor, 'base64url').toString('utf8'), undefined);
  if (!Array.isArray(values) || values.length !== types.length) return undefined;
  return values.every((value, i) => typeof value === types[i]) ? values as (string | number)[] : undefined;
}

export function toTokenRecord(row: Selectable<EnrollmentTokenTable>): EnrollmentTokenRecord {
  return {
    id: row.id,
    secretHash: row.secret_hash,
    note: row.note,
    createdAt: num(row.created_at),
    expiresAt: num(row.expires_at),
    revokedAt: numOrNull(row.revoked_at),
    maxUses: numOrNull(row.max_uses),
    uses: num(row.uses),
  };
}

type NullableStatus = { [K in keyof Selectable<HostStatusTable>]: Selectable<HostStatusTable>[K] | null };
export type HostJoinRow = Pick<Selectable<HostTable>, 'id' | 'hostname' | 'tags' | 'enrolled_at' | 'revoked_at'> & Omit<NullableStatus, 'tags' | 'host_id'> & { status_tags: string | null };

export function toHostRecord(row: HostJoinRow): HostRecord {
  return {
    id: row.id,
    hostname: row.hostname,
    enrollmentTags: parseJson<string[]>(row.tags, []),
    enrolledAt: num(row.enrolled_at),
    revokedAt: numOrNull(row.revoked_at),
    status: row.last_seen_at === null ? null : {
      lastSeenAt: num(row.last_seen_at),
      bootId: row.boot_id ?? '',
      seq: num(row.seq ?? 0),
      agentVersion: row.agent_version ?? '',
      contentVersion: row.content_version,
      ring: numOrNull(row.ring),
      tags: parseJson<string[]>(row.status_tags ?? '[]', []),
      cpuPct: num(row.cpu_pct ?? 0),
      rssMb: num(row.rss_mb ?? 0),
      engineCrashes: num(row.engine_crashes ?? 0),
      quarantinedRules: parseJson<string[]>(row.quarantined_rules ?? '[]', []),
    },
  };
}

export function toHeartbeatSample(row: Selectable<HeartbeatTable>): HeartbeatSample {
  return {
    hostId: row.host_id,
    receivedAt: num(row.received_at),
    bootId: row.boot_id,
    seq: num(row.seq),
    intervalS: num(row.interval_s),
    agentVersion: row.agent_version,
    contentVersion: row.content_version,
    ring: numOrNull(row.ring),
    cpuPct: num(row.cpu_pct),
    rssMb: num(row.rss_mb),
    eventsPerS: num(row.events_per_s),
    drops: num(row.drops),
    engineCrashes: num(row.engine_crashes),
    engineRestarts: num(row.engine_restarts),
    quarantinedCount: num(row.quarantined_count),
    alertsTotal: num(row.alerts_total),
  };
}

export function toAlertRecord(row: Selectable<AlertTable> & { hostname: string }): StoredAlertRecord {
  return {
    hostId: row.host_id,
    hostname: row.hostname,
    id: row.alert_id,
    ruleId: row.rule_id,
    ruleTitle: row.rule_title,
    level: row.level as AlertLevel,
    time: new Date(num(row.occurred_at)).toISOString(),
    contentVersion: row.content_version,
    event: parseJson<Record<string, unknown>>(row.event, {}),
    receivedAt: num(row.received_at),
  };
}
