// Reads the bake window's heartbeats (the core server's table) summed per host and content version,
// and the hosts told to take a version with when each was last heard from: the judge's inputs.
import { sql } from 'kysely';
import type { Delivery, HostWindow } from './judge/health-judge.ts';
import type { RolloutDb } from './storage/schema.ts';

export type VersionedWindow = HostWindow & { contentVersion: string | null };

export async function hostWindows(db: RolloutDb, from: number, to: number): Promise<VersionedWindow[]> {
  const rows = await db.selectFrom('heartbeats')
    .select((eb) => [
      'host_id', 'content_version',
      eb.fn.countAll<number>().as('samples'),
      eb.fn.sum<number>('cpu_pct').as('cpu'),
      eb.fn.sum<number>('rss_mb').as('rss'),
      eb.fn.sum<number>('drops').as('drops'),
      eb.fn.sum<number>('alerts_total').as('alerts'),
      eb.fn.sum<number>('engine_crashes').as('crashes'),
      eb.fn.sum<number>('engine_restarts').as('restarts'),
      eb.fn.max<number>('quarantined_count').as('quarantined'),
      eb.fn.max<number>('received_at').as('last_seen'),
    ])
    .where('received_at', '>=', from).where('received_at', '<=', to)
    .groupBy(['host_id', 'content_version'])
    .execute();
  return rows.map((row) => ({
    hostId: row.host_id, contentVersion: row.content_version, samples: Number(row.samples),
    cpuPctSum: Number(row.cpu), rssMbSum: Number(row.rss), drops: Number(row.drops), alerts: Number(row.alerts),
    crashes: Number(row.crashes), restarts: Number(row.restarts), quarantinedRulesMax: Number(row.quarantined), lastSeenAt: Number(row.last_seen),
  }));
}

/** Hosts (not revoked) the server told to take `version`, with the last time each was heard from. */
export async function deliveriesWithLastSeen(db: RolloutDb, version: string): Promise<Delivery[]> {
  const rows = await db.selectFrom('rollout_deliveries as d')
    .innerJoin('hosts as h', 'h.id', 'd.host_id')
    .leftJoin('host_status as s', 's.host_id', 'd.host_id')
    .select(['d.host_id', 'd.delivered_at', 's.last_seen_at'])
    .where('d.version', '=', version).where('h.revoked_at', 'is', null)
    .execute();
  // A host is told in the answer to a heartbeat, so it was seen at delivery at the latest.
  return rows.map((row) => ({
    hostId: row.host_id, deliveredAt: Number(row.delivered_at),
    lastSeenAt: Math.max(Number(row.delivered_at), row.last_seen_at === null ? 0 : Number(row.last_seen_at)),
  }));
}

/** The content version most hosts reported last: the fleet's baseline when no release is known yet. */
export async function mostCommonContentVersion(db: RolloutDb): Promise<string | null> {
  const row = await db.selectFrom('host_status')
    .innerJoin('hosts', 'hosts.id', 'host_status.host_id')
    .select(['host_status.content_version', sql<number>`count(*)`.as('n')])
    .where('hosts.revoked_at', 'is', null).where('host_status.content_version', 'is not', null)
    .groupBy('host_status.content_version').orderBy('n', 'desc').orderBy('host_status.content_version').executeTakeFirst();
  return row?.content_version ?? null;
}
