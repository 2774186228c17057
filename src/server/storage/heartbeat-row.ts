// One heartbeat as the values of its `heartbeats` row (in the table's column order), then the
// status-only tags and quarantined rules: the same row for the SQLite and the PostgreSQL writers.
import type { HeartbeatRecord } from './store.ts';

export type SqlValue = null | number | string;

/** Columns per packed heartbeat: the heartbeats row, then the status-only tags and quarantined rules. */
export const heartbeatWidth = 20;

export function packHeartbeat({ hostId, receivedAt, heartbeat: hb }: HeartbeatRecord, out: SqlValue[]): void {
  const sentAt = Date.parse(hb.sentAt);
  let eventsPerS = 0;
  let drops = 0;
  for (const sensor of hb.sensors) {
    eventsPerS += sensor.eventsPerS;
    drops += sensor.drops;
  }
  let alertsTotal = 0;
  for (const key in hb.alertCounts) alertsTotal += hb.alertCounts[key]!;
  out.push(
    hostId, hb.bootId, hb.seq, receivedAt, Number.isFinite(sentAt) ? sentAt : receivedAt, hb.intervalS,
    hb.versions.agent, hb.versions.content, hb.ring, hb.cpuPct, hb.rssMb, eventsPerS, drops,
    hb.engineCrashes, hb.engineRestarts, hb.quarantinedRules.length, alertsTotal,
    JSON.stringify({ sensors: hb.sensors, quarantinedRules: hb.quarantinedRules, alertCounts: hb.alertCounts, tags: hb.tags, extensions: hb.extensions }),
    JSON.stringify(hb.tags), JSON.stringify(hb.quarantinedRules),
  );
}
