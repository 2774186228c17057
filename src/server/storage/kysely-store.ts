// The Store on Kysely: one implementation for SQLite and PostgreSQL. Heartbeat and alert writes live
// in activity-queries.ts; this file holds enrollment, hosts and admin tokens.
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.ts';
import type { StoreDialect } from './migrations.ts';
import type { ActivityWrites, HostQuery, HostRecord, Page, Store } from './store.ts';
import { decodeCursor, encodeCursor, num, numOrNull, toHostRecord, toTokenRecord, type HostJoinRow } from './rows.ts';
import { listAlerts, listHeartbeats, pruneHeartbeats, recordHeartbeats, storeAlertUploads } from './activity-queries.ts';

/** `writes` replaces the Kysely heartbeat and alert writes (SQLite runs its own, off the main thread). */
export function createKyselyStore(db: Kysely<Database>, dialect: StoreDialect, onClose: () => Promise<void>, writes?: ActivityWrites): Store {
  const hot: ActivityWrites = writes ?? {
    recordHeartbeats: (records) => recordHeartbeats(db, dialect, records),
    storeAlertUploads: (uploads) => storeAlertUploads(db, uploads),
    pruneHeartbeats: (before) => pruneHeartbeats(db, before),
  };
  return {
    dialect,
    db,

    async createEnrollmentToken(token) {
      await db.insertInto('enrollment_tokens').values({
        id: token.id, secret_hash: token.secretHash, note: token.note, created_at: token.createdAt,
        expires_at: token.expiresAt, revoked_at: token.revokedAt, max_uses: token.maxUses, uses: token.uses,
      }).execute();
    },
    async getEnrollmentToken(id) {
      const row = await db.selectFrom('enrollment_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toTokenRecord(row);
    },
    async listEnrollmentTokens() {
      const rows = await db.selectFrom('enrollment_tokens').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toTokenRecord);
    },
    async revokeEnrollmentToken(id, at) {
      const result = await db.updateTable('enrollment_tokens').set({ revoked_at: at })
        .where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return num(result.numUpdatedRows) > 0;
    },
    async enrollHost(tokenId, host, now) {
      return db.transaction().execute(async (trx) => {
        // The conditions repeat the caller's checks inside the transaction, so two agents racing
        // for a token's last use cannot both win.
        const spent = await trx.updateTable('enrollment_tokens').set((eb) => ({ uses: eb('uses', '+', 1) }))
          .where('id', '=', tokenId).where('revoked_at', 'is', null).where('expires_at', '>', now)
          .where((eb) => eb.or([eb('max_uses', 'is', null), eb('uses', '<', eb.ref('max_uses'))]))
          .executeTakeFirst();
        if (num(spent.numUpdatedRows) !== 1) return { kind: 'token-unusable' } as const;
        await trx.insertInto('hosts').values({
          id: host.id, hostname: host.hostname, tags: JSON.stringify(host.tags), credential_hash: host.credentialHash,
          enrollment_token_id: tokenId, enrolled_at: host.enrolledAt, revoked_at: null,
        }).execute();
        return { kind: 'ok' } as const;
      });
    },

    async getHostAuth(id) {
      const row = await db.selectFrom('hosts').select(['id', 'credential_hash', 'revoked_at']).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : { id: row.id, credentialHash: row.credential_hash, revokedAt: numOrNull(row.revoked_at) };
    },
    async getHost(id) {
      const row = await hostsWithStatus(db).where('hosts.id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toHostRecord(row);
    },
    listHosts: (query) => listHosts(db, dialect, query),
    listActiveHosts: () => listActiveHosts(db),
    async revokeHost(id, at) {
      const result = await db.updateTable('hosts').set({ revoked_at: at })
        .where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return num(result.numUpdatedRows) > 0;
    },
    async listRevokedHostIds(since) {
      const rows = await db.selectFrom('hosts').select('id').where('revoked_at', '>=', since).execute();
      return rows.map((row) => row.id);
    },

    recordHeartbeats: (records) => hot.recordHeartbeats(records),
    listHeartbeats: (query) => listHeartbeats(db, query),
    pruneHeartbeats: (before) => hot.pruneHeartbeats(before),
    storeAlerts: async (hostId, alerts, receivedAt) => (await hot.storeAlertUploads([{ hostId, alerts, receivedAt }]))[0]!,
    storeAlertUploads: (uploads) => hot.storeAlertUploads(uploads),
    listAlerts: (query) => listAlerts(db, query),

    async createAdminToken(token) {
      await db.insertInto('admin_tokens').values({
        id: token.id, secret_hash: token.secretHash, note: token.note, created_at: token.createdAt, revoked_at: token.revokedAt,
      }).execute();
    },
    async getAdminToken(id) {
      const row = await db.selectFrom('admin_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : {
        id: row.id, secretHash: row.secret_hash, note: row.note, createdAt: num(row.created_at), revokedAt: numOrNull(row.revoked_at),
      };
    },
    async countAdminTokens() {
      const row = await db.selectFrom('admin_tokens').select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('revoked_at', 'is', null).executeTakeFirstOrThrow();
      return num(row.n);
    },
    async rotateAdminToken(next, revoke, at) {
      return db.transaction().execute(async (trx) => {
        let q = trx.updateTable('admin_tokens').set({ revoked_at: at }).where('revoked_at', 'is', null);
        if (revoke.kind === 'token') q = q.where('id', '=', revoke.id);
        const revoked = await q.executeTakeFirst();
        if (revoke.kind === 'token' && num(revoked.numUpdatedRows) !== 1) return false;
        await trx.insertInto('admin_tokens').values({
          id: next.id, secret_hash: next.secretHash, note: next.note, created_at: next.createdAt, revoked_at: next.revokedAt,
        }).execute();
        return true;
      });
    },

    close: onClose,
  };
}

function hostsWithStatus(db: Kysely<Database>): SelectQueryBuilder<Database, 'hosts' | 'host_status', HostJoinRow> {
  return db.selectFrom('hosts').leftJoin('host_status', 'host_status.host_id', 'hosts.id').select([
    'hosts.id', 'hosts.hostname', 'hosts.tags', 'hosts.enrolled_at', 'hosts.revoked_at',
    'host_status.last_seen_at', 'host_status.boot_id', 'host_status.seq', 'host_status.agent_version',
    'host_status.content_version', 'host_status.ring', 'host_status.tags as status_tags', 'host_status.cpu_pct',
    'host_status.rss_mb', 'host_status.engine_crashes', 'host_status.quarantined_rules',
  ]) as SelectQueryBuilder<Database, 'hosts' | 'host_status', HostJoinRow>;
}

/**
 * Read in pages by id with a turn of the event loop between them: SQLite reads are synchronous, and
 * the whole fleet at once (100k hosts) held the main thread for 1–1.5 s on the 2-core VM, once per
 * rollout tick. A page of 1,000 takes ~10–15 ms.
 */
const activeHostsPerPage = 1000;

async function listActiveHosts(db: Kysely<Database>): Promise<HostRecord[]> {
  const hosts: HostRecord[] = [];
  for (let after: string | undefined; ;) {
    // Revoked hosts are skipped here, not in SQL: with `revoked_at IS NULL` in the query, SQLite
    // reads through the revoked_at index and sorts every page (10 s for the fleet instead of 1).
    const q = hostsWithStatus(db);
    const rows = await (after === undefined ? q : q.where('hosts.id', '>', after)).orderBy('hosts.id').limit(activeHostsPerPage).execute();
    for (const row of rows) if (row.revoked_at === null) hosts.push(toHostRecord(row));
    if (rows.length < activeHostsPerPage) return hosts;
    after = rows.at(-1)!.id;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function listHosts(db: Kysely<Database>, dialect: StoreDialect, query: HostQuery): Promise<Page<HostRecord>> {
  let q = hostsWithStatus(db);
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor, ['string', 'string']);
    // A cursor that does not decode is a client bug; answering an empty page is safer than guessing.
    if (after === undefined) return { items: [], nextCursor: null };
    q = q.where((eb) => eb(eb.refTuple('hosts.hostname', 'hosts.id'), '>', eb.tuple(String(after[0]), String(after[1]))));
  }
  if (query.tag !== undefined) {
    const needle = JSON.stringify(query.tag);
    const find = dialect === 'postgres' ? 'strpos' : 'instr';
    q = q.where(sql<number>`${sql.raw(find)}(coalesce(host_status.tags, hosts.tags), ${needle})`, '>', 0);
  }
  const onlineSince = query.now - query.silentAfterMs;
  switch (query.state) {
    case undefined: break;
    case 'revoked': q = q.where('hosts.revoked_at', 'is not', null); break;
    case 'never-seen': q = q.where('hosts.revoked_at', 'is', null).where('host_status.last_seen_at', 'is', null); break;
    case 'online': q = q.where('hosts.revoked_at', 'is', null).where('host_status.last_seen_at', '>=', onlineSince); break;
    case 'silent': q = q.where('hosts.revoked_at', 'is', null).where('host_status.last_seen_at', '<', onlineSince); break;
  }
  const rows = await q.orderBy('hosts.hostname').orderBy('hosts.id').limit(query.limit + 1).execute();
  const items = rows.slice(0, query.limit).map(toHostRecord);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.hostname, last.id]) : null };
}
