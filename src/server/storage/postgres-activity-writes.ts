// PostgreSQL's heartbeat and alert writes: one round trip per grouped batch. Each batch is one
// statement of fixed shape, named (PostgreSQL parses and plans it once per connection), taking one
// array per column (`unnest`) instead of a multi-row VALUES list whose text and plan change with
// the batch size. A single statement is atomic on its own: no BEGIN/COMMIT round trips.
//
// Measured before (Kysely, a transaction of BEGIN, SET LOCAL, INSERT … RETURNING, the status
// upsert, COMMIT: five round trips and a fresh plan per batch) at 100k agents on the 2-core VM:
// PostgreSQL used 34–40 % of a core and the server ~50 %; see docs/server.md, "Capacity".
//
// Heartbeats go through their own small pool whose sessions run `synchronous_commit = off`: they
// are telemetry resent every interval, so their commit need not wait for the WAL flush (a crash
// loses well under a second of them, never corrupts). Alerts use the main pool and wait for it: an
// acknowledged alert is deleted from the agent's spool.
import type { Kysely } from 'kysely';
import type pg from 'pg';
import { pruneHeartbeats } from './activity-queries.ts';
import { heartbeatWidth, packHeartbeat, type SqlValue } from './heartbeat-row.ts';
import type { Database } from './schema.ts';
import type { ActivityWrites, AlertUploadRecord, HeartbeatRecord } from './store.ts';

const heartbeatColumns = ['host_id', 'boot_id', 'seq', 'received_at', 'sent_at', 'interval_s', 'agent_version', 'content_version', 'ring',
  'cpu_pct', 'rss_mb', 'events_per_s', 'drops', 'engine_crashes', 'engine_restarts', 'quarantined_count', 'alerts_total', 'detail'] as const;
const heartbeatTypes = ['text', 'text', 'int8', 'int8', 'int8', 'float8', 'text', 'text', 'int4', 'float8', 'float8', 'float8', 'int8', 'int8', 'int8', 'int8', 'int8', 'text'];
const statusUpdates = ['last_seen_at', 'boot_id', 'seq', 'agent_version', 'content_version', 'ring', 'tags', 'cpu_pct', 'rss_mb', 'engine_crashes', 'quarantined_rules'];

const unnestOf = (types: readonly string[]) => types.map((type, i) => `$${i + 1}::${type}[]`).join(', ');

const heartbeatStatement = {
  name: 'ring3-record-heartbeats-v1',
  // The status row takes each host's latest heartbeat of the batch (by time, then batch order).
  text: `WITH input AS (
      SELECT * FROM unnest(${unnestOf([...heartbeatTypes, 'text', 'text'])}) WITH ORDINALITY
        AS t(${heartbeatColumns.join(', ')}, tags, quarantined_rules, n)
    ), inserted AS (
      INSERT INTO heartbeats (${heartbeatColumns.join(', ')}) SELECT ${heartbeatColumns.join(', ')} FROM input ORDER BY n
      ON CONFLICT (host_id, boot_id, seq) DO NOTHING RETURNING host_id, boot_id, seq
    ), status AS (
      INSERT INTO host_status (host_id, ${statusUpdates.join(', ')})
      SELECT DISTINCT ON (host_id) host_id, received_at, boot_id, seq, agent_version, content_version, ring, tags, cpu_pct, rss_mb,
        engine_crashes, quarantined_rules
      FROM input ORDER BY host_id, received_at DESC, n DESC
      ON CONFLICT (host_id) DO UPDATE SET ${statusUpdates.map((c) => `${c} = excluded.${c}`).join(', ')}
      WHERE host_status.last_seen_at <= excluded.last_seen_at
    )
    SELECT host_id, boot_id, seq FROM inserted`,
};

const alertStatement = {
  name: 'ring3-store-alerts-v1',
  text: `INSERT INTO alerts (host_id, alert_id, rule_id, rule_title, level, occurred_at, received_at, content_version, event)
    SELECT * FROM unnest(${unnestOf(['text', 'text', 'text', 'text', 'text', 'int8', 'int8', 'text', 'text'])})
    ON CONFLICT (host_id, alert_id) DO NOTHING RETURNING host_id, alert_id`,
};

/** `heartbeatPool`'s sessions must run with synchronous_commit off (see openStore); `pool` is the main one. */
export function postgresActivityWrites(db: Kysely<Database>, pool: pg.Pool, heartbeatPool: pg.Pool): ActivityWrites {
  return {
    recordHeartbeats: (records) => recordHeartbeats(heartbeatPool, records),
    storeAlertUploads: (uploads) => storeAlertUploads(pool, uploads),
    pruneHeartbeats: (before) => pruneHeartbeats(db, before),
  };
}

async function recordHeartbeats(pool: pg.Pool, records: readonly HeartbeatRecord[]): Promise<{ stored: boolean[] }> {
  if (records.length === 0) return { stored: [] };
  const columns: unknown[][] = Array.from({ length: heartbeatWidth }, () => new Array(records.length));
  const row: SqlValue[] = [];
  records.forEach((record, i) => {
    row.length = 0;
    packHeartbeat(record, row);
    for (let c = 0; c < row.length; c++) columns[c]![i] = row[c];
  });
  const result = await pool.query<{ host_id: string; boot_id: string; seq: number | string }>({ ...heartbeatStatement, values: columns });
  const key = (hostId: string, bootId: string, seq: number) => `${hostId}\n${bootId}\n${seq}`;
  const inserted = new Set(result.rows.map((row) => key(row.host_id, row.boot_id, Number(row.seq))));
  // A heartbeat repeated within the batch (a retry racing its original) is stored for the first only.
  return { stored: records.map((r) => inserted.delete(key(r.hostId, r.heartbeat.bootId, r.heartbeat.seq))) };
}

async function storeAlertUploads(pool: pg.Pool, uploads: readonly AlertUploadRecord[]): Promise<{ storedIds: string[] }[]> {
  const key = (hostId: string, alertId: string) => `${hostId}\n${alertId}`;
  const columns: unknown[][] = Array.from({ length: 9 }, () => []);
  // Two uploads in one group may repeat an alert (a retry racing its original): send the first only.
  const sent = new Set<string>();
  for (const { hostId, alerts, receivedAt } of uploads) {
    for (const alert of alerts) {
      const k = key(hostId, alert.id);
      if (sent.has(k)) continue;
      sent.add(k);
      const occurredAt = Date.parse(alert.time);
      const row = [hostId, alert.id, alert.ruleId, alert.ruleTitle, alert.level, Number.isFinite(occurredAt) ? occurredAt : receivedAt,
        receivedAt, alert.contentVersion, JSON.stringify(alert.event)];
      for (let c = 0; c < row.length; c++) columns[c]!.push(row[c]);
    }
  }
  const stored = new Set<string>();
  if (sent.size > 0) {
    const result = await pool.query<{ host_id: string; alert_id: string }>({ ...alertStatement, values: columns });
    for (const row of result.rows) stored.add(key(row.host_id, row.alert_id));
  }
  // An id counts as stored now for the first upload that carried it, a duplicate for any later one.
  return uploads.map(({ hostId, alerts }) => ({
    storedIds: alerts.filter((alert) => stored.delete(key(hostId, alert.id))).map((alert) => alert.id),
  }));
}
