// Heartbeat and alert storage: the hot write paths. Writes are multi-row statements in one
// transaction, chunked under both stores' bound-parameter limits.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { StoreDialect } from './migrations.ts';
import type { Database, HeartbeatTable, HostStatusTable } from './schema.ts';
import type { AlertQuery, AlertUploadRecord, HeartbeatQuery, HeartbeatRecord, HeartbeatSample, Page, StoredAlertRecord } from './store.ts';
import { decodeCursor, encodeCursor, num, toAlertRecord, toHeartbeatSample } from './rows.ts';

const rowsPerStatement = 400;
const idsPerStatement = 5000;

export async function recordHeartbeats(db: Kysely<Database>, dialect: StoreDialect, records: readonly HeartbeatRecord[]): Promise<{ stored: boolean[] }> {
  if (records.length === 0) return { stored: [] };
  const key = (hostId: string, bootId: string, seq: number) => `${hostId}\n${bootId}\n${seq}`;
  const inserted = new Set<string>();
  await db.transaction().execute(async (trx) => {
    // Heartbeats are telemetry resent every interval: on PostgreSQL their commit need not wait for
    // the WAL fsync (a crash loses well under a second of them, never corrupts). Alerts keep it.
    if (dialect === 'postgres') await sql`SET LOCAL synchronous_commit TO OFF`.execute(trx);
    for (const chunk of chunks(records, rowsPerStatement)) {
      const rows = await trx.insertInto('heartbeats').values(chunk.map(toHeartbeatRow))
        .onConflict((oc) => oc.columns(['host_id', 'boot_id', 'seq']).doNothing())
        .returning(['host_id', 'boot_id', 'seq']).execute();
      for (const row of rows) inserted.add(key(row.host_id, row.boot_id, num(row.seq)));
    }
    // One status row per host: PostgreSQL refuses to update the same row twice in one statement.
    const latest = new Map<string, HeartbeatRecord>();
    for (const record of records) {
      const seen = latest.get(record.hostId);
      if (seen === undefined || seen.receivedAt <= record.receivedAt) latest.set(record.hostId, record);
    }
    for (const chunk of chunks([...latest.values()], rowsPerStatement)) {
      await trx.insertInto('host_status').values(chunk.map(toStatusRow))
        .onConflict((oc) => oc.column('host_id').doUpdateSet((eb) => ({
          last_seen_at: eb.ref('excluded.last_seen_at'),
          boot_id: eb.ref('excluded.boot_id'),
          seq: eb.ref('excluded.seq'),
          agent_version: eb.ref('excluded.agent_version'),
          content_version: eb.ref('excluded.content_version'),
          ring: eb.ref('excluded.ring'),
          tags: eb.ref('excluded.tags'),
          cpu_pct: eb.ref('excluded.cpu_pct'),
          rss_mb: eb.ref('excluded.rss_mb'),
          engine_crashes: eb.ref('excluded.engine_crashes'),
          quarantined_rules: eb.ref('excluded.quarantined_rules'),
        })).where('host_status.last_seen_at', '<=', (eb) => eb.ref('excluded.last_seen_at')))
        .execute();
    }
  });
  // A heartbeat repeated within the batch (a retry racing its original) is stored for the first only.
  return { stored: records.map((r) => inserted.delete(key(r.hostId, r.heartbeat.bootId, r.heartbeat.seq))) };
}

function toHeartbeatRow({ hostId, receivedAt, heartbeat: hb }: HeartbeatRecord): Insertable<HeartbeatTable> {
  const sentAt = Date.parse(hb.sentAt);
  return {
    host_id: hostId,
    boot_id: hb.bootId,
    seq: hb.seq,
    received_at: receivedAt,
    sent_at: Number.isFinite(sentAt) ? sentAt : receivedAt,
    interval_s: hb.intervalS,
    agent_version: hb.versions.agent,
    content_version: hb.versions.content,
    ring: hb.ring,
    cpu_pct: hb.cpuPct,
    rss_mb: hb.rssMb,
    events_per_s: hb.sensors.reduce((sum, s) => sum + s.eventsPerS, 0),
    drops: hb.sensors.reduce((sum, s) => sum + s.drops, 0),
    engine_crashes: hb.engineCrashes,
    engine_restarts: hb.engineRestarts,
    quarantined_count: hb.quarantinedRules.length,
    alerts_total: Object.values(hb.alertCounts).reduce((sum, n) => sum + n, 0),
    detail: JSON.stringify({ sensors: hb.sensors, quarantinedRules: hb.quarantinedRules, alertCounts: hb.alertCounts, tags: hb.tags, extensions: hb.extensions }),
  };
}

function toStatusRow({ hostId, receivedAt, heartbeat: hb }: HeartbeatRecord): Insertable<HostStatusTable> {
  return {
    host_id: hostId,
    last_seen_at: receivedAt,
    boot_id: hb.bootId,
    seq: hb.seq,
    agent_version: hb.versions.agent,
    content_version: hb.versions.content,
    ring: hb.ring,
    tags: JSON.stringify(hb.tags),
    cpu_pct: hb.cpuPct,
    rss_mb: hb.rssMb,
    engine_crashes: hb.engineCrashes,
    quarantined_rules: JSON.stringify(hb.quarantinedRules),
  };
}

export async function listHeartbeats(db: Kysely<Database>, query: HeartbeatQuery): Promise<HeartbeatSample[]> {
  const base = () => {
    let q = db.selectFrom('heartbeats').selectAll().where('received_at', '>=', query.since).where('received_at', '<', query.until);
    if (query.contentVersion === null) q = q.where('content_version', 'is', null);
    else if (query.contentVersion !== undefined) q = q.where('content_version', '=', query.contentVersion);
    return q.orderBy('received_at').orderBy('id');
  };
  if (query.hostIds === undefined) return (await base().execute()).map(toHeartbeatSample);
  const samples: HeartbeatSample[] = [];
  for (const ids of chunks(query.hostIds, idsPerStatement)) {
    samples.push(...(await base().where('host_id', 'in', ids).execute()).map(toHeartbeatSample));
  }
  return samples.sort((a, b) => a.receivedAt - b.receivedAt);
}

export async function pruneHeartbeats(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('heartbeats').where('received_at', '<', before).executeTakeFirst();
  return num(result.numDeletedRows);
}

export async function storeAlertUploads(db: Kysely<Database>, uploads: readonly AlertUploadRecord[]): Promise<{ storedIds: string[] }[]> {
  const rows = uploads.flatMap(({ hostId, alerts, receivedAt }) => alerts.map((alert) => {
    const occurredAt = Date.parse(alert.time);
    return {
      host_id: hostId,
      alert_id: alert.id,
      rule_id: alert.ruleId,
      rule_title: alert.ruleTitle,
      level: alert.level,
      occurred_at: Number.isFinite(occurredAt) ? occurredAt : receivedAt,
      received_at: receivedAt,
      content_version: alert.contentVersion,
      event: JSON.stringify(alert.event),
    };
  }));
  const stored = new Set<string>();
  const key = (hostId: string, alertId: string) => `${hostId}\n${alertId}`;
  await db.transaction().execute(async (trx) => {
    for (const chunk of chunks(rows, rowsPerStatement)) {
      // Two uploads in one group may repeat an alert (a retry racing its original): keep the first.
      const unique = [...new Map(chunk.map((row) => [key(row.host_id, row.alert_id), row])).values()];
      const inserted = await trx.insertInto('alerts').values(unique)
        .onConflict((oc) => oc.columns(['host_id', 'alert_id']).doNothing()).returning(['host_id', 'alert_id']).execute();
      for (const row of inserted) stored.add(key(row.host_id, row.alert_id));
    }
  });
  // An id counts as stored now for the first upload that carried it, a duplicate for any later one.
  return uploads.map(({ hostId, alerts }) => ({
    storedIds: alerts.filter((alert) => stored.delete(key(hostId, alert.id))).map((alert) => alert.id),
  }));
}

export async function listAlerts(db: Kysely<Database>, query: AlertQuery): Promise<Page<StoredAlertRecord>> {
  let q = db.selectFrom('alerts').innerJoin('hosts', 'hosts.id', 'alerts.host_id').selectAll('alerts').select('hosts.hostname');
  if (query.cursor !== undefined) {
    const before = decodeCursor(query.cursor, ['number', 'string', 'string']);
    if (before === undefined) return { items: [], nextCursor: null };
    q = q.where((eb) => eb(eb.refTuple('alerts.received_at', 'alerts.host_id', 'alerts.alert_id'), '<',
      eb.tuple(Number(before[0]), String(before[1]), String(before[2]))));
  }
  if (query.hostId !== undefined) q = q.where('alerts.host_id', '=', query.hostId);
  if (query.ruleId !== undefined) q = q.where('alerts.rule_id', '=', query.ruleId);
  if (query.level !== undefined) q = q.where('alerts.level', '=', query.level);
  if (query.since !== undefined) q = q.where('alerts.received_at', '>=', query.since);
  const rows = await q.orderBy('alerts.received_at', 'desc').orderBy('alerts.host_id', 'desc').orderBy('alerts.alert_id', 'desc')
    .limit(query.limit + 1).execute();
  const items = rows.slice(0, query.limit).map(toAlertRecord);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.receivedAt, last.hostId, last.id]) : null };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
