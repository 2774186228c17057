// Versioned schema migrations, applied in name order by Kysely's Migrator and recorded in the
// database, so a server started on an older database brings it up to date before serving.
// Names are `NNNN-area-what`; append new ones, never edit one that has shipped.
import { Migrator, sql, type Kysely, type Migration as KyselyMigration } from 'kysely';

export type StoreDialect = 'sqlite' | 'postgres';
export type MigrationContext = { dialect: StoreDialect };

export type Migration = {
  name: string;
  // Kysely<any> on purpose: a migration sees the schema as it was then, not today's types.
  up(db: Kysely<any>, context: MigrationContext): Promise<void>;
};

export type MigrationOutcome =
  | { kind: 'ok'; applied: string[] }
  | { kind: 'failed'; migration: string; message: string };

export async function migrate(db: Kysely<any>, migrations: readonly Migration[], context: MigrationContext): Promise<MigrationOutcome> {
  const provided: Record<string, KyselyMigration> = {};
  for (const migration of migrations) {
    if (provided[migration.name] !== undefined) return { kind: 'failed', migration: migration.name, message: 'registered twice' };
    provided[migration.name] = { up: (database) => migration.up(database, context) };
  }
  // Kysely looks for its bookkeeping tables in every schema unless told which one: with ring3 in
  // two schemas of one database (tests, the bench) it would find the other's and skip creating its own.
  const schema = context.dialect === 'postgres'
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  const migrator = new Migrator({
    db,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    provider: { getMigrations: async () => provided },
    migrationTableName: 'ring3_migrations',
    migrationLockTableName: 'ring3_migrations_lock',
    // Each server module appends its own migrations; a core migration added after a module's
    // has run must still apply rather than stop the server.
    allowUnorderedMigrations: true,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    return { kind: 'failed', migration: failed?.migrationName ?? '(migrator)', message: error instanceof Error ? error.message : String(error) };
  }
  return { kind: 'ok', applied: results.filter((result) => result.status === 'Success').map((result) => result.migrationName) };
}

/** The core server's schema: enrollment, hosts, heartbeats, alerts and admin tokens. */
export const coreMigrations: readonly Migration[] = [
  {
    name: '0001-core-tables',
    async up(db, { dialect }) {
      await db.schema.createTable('enrollment_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('max_uses', 'bigint')
        .addColumn('uses', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createTable('admin_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createTable('hosts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('credential_hash', 'text', (c) => c.notNull())
        .addColumn('enrollment_token_id', 'text', (c) => c.references('enrollment_tokens.id'))
        .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('hosts_hostname').on('hosts').columns(['hostname', 'id']).execute();
      await db.schema.createTable('host_status')
        .addColumn('host_id', 'text', (c) => c.primaryKey().references('hosts.id').onDelete('cascade'))
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('boot_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('agent_version', 'text', (c) => c.notNull())
        .addColumn('content_version', 'text')
        .addColumn('ring', 'integer')
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('cpu_pct', 'double precision', (c) => c.notNull())
        .addColumn('rss_mb', 'double precision', (c) => c.notNull())
        .addColumn('engine_crashes', 'bigint', (c) => c.notNull())
        .addColumn('quarantined_rules', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('heartbeats')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
        .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
        .addColumn('boot_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('sent_at', 'bigint', (c) => c.notNull())
        .addColumn('interval_s', 'double precision', (c) => c.notNull())
        .addColumn('agent_version', 'text', (c) => c.notNull())
        .addColumn('content_version', 'text')
        .addColumn('ring', 'integer')
        .addColumn('cpu_pct', 'double precision', (c) => c.notNull())
        .addColumn('rss_mb', 'double precision', (c) => c.notNull())
        .addColumn('events_per_s', 'double precision', (c) => c.notNull())
        .addColumn('drops', 'bigint', (c) => c.notNull())
        .addColumn('engine_crashes', 'bigint', (c) => c.notNull())
        .addColumn('engine_restarts', 'bigint', (c) => c.notNull())
        .addColumn('quarantined_count', 'bigint', (c) => c.notNull())
        .addColumn('alerts_total', 'bigint', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      // The unique index is what makes a retried heartbeat land once.
      await db.schema.createIndex('heartbeats_dedup').on('heartbeats').columns(['host_id', 'boot_id', 'seq']).unique().execute();
      await db.schema.createIndex('heartbeats_received').on('heartbeats').columns(['received_at']).execute();
      await db.schema.createIndex('heartbeats_version').on('heartbeats').columns(['content_version', 'received_at']).execute();
      await db.schema.createTable('alerts')
        .addColumn('host_id', 'text', (c) => c.notNull().references('hosts.id').onDelete('cascade'))
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('rule_title', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('content_version', 'text')
        .addColumn('event', 'text', (c) => c.notNull())
        // Keyed per host: one agent cannot pre-empt another's alert by sending its id first.
        .addPrimaryKeyConstraint('alerts_pk', ['host_id', 'alert_id'])
        .execute();
      await db.schema.createIndex('alerts_received').on('alerts').columns(['received_at', 'host_id', 'alert_id']).execute();
      await db.schema.createIndex('alerts_rule').on('alerts').columns(['rule_id', 'received_at']).execute();
      if (dialect === 'sqlite') await sql`ANALYZE`.execute(db);
    },
  },
  {
    name: '0002-core-hosts-revoked-index',
    // Servers poll for hosts revoked since their last look, to drop them from their auth caches.
    async up(db) {
      await db.schema.createIndex('hosts_revoked').on('hosts').columns(['revoked_at']).execute();
    },
  },
];
