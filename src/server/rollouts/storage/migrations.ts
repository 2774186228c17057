// Versioned migrations of the rollout tables; the server appends them after the core ones
// (see the server's migration list). Append new ones, never edit one that has shipped.
import type { Migration } from '../../storage/migrations.ts';

export const rolloutMigrations: readonly Migration[] = [
  {
    name: '0001-rollouts-tables',
    async up(db, { dialect }) {
      await db.schema.createTable('rollouts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('previous_version', 'text')
        .addColumn('salt', 'text', (c) => c.notNull())
        .addColumn('plan', 'text', (c) => c.notNull())
        .addColumn('ring_index', 'integer', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('phase_kind', 'text', (c) => c.notNull())
        .addColumn('ring_started_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .execute();
      await db.schema.createIndex('rollouts_created').on('rollouts').columns(['created_at']).execute();
      await db.schema.createTable('rollout_transitions')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
        .addColumn('rollout_id', 'text', (c) => c.notNull().references('rollouts.id'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('from_phase', 'text', (c) => c.notNull())
        .addColumn('from_ring', 'integer', (c) => c.notNull())
        .addColumn('to_phase', 'text', (c) => c.notNull())
        .addColumn('to_ring', 'integer', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('verdict_id', 'text')
        .execute();
      await db.schema.createIndex('rollout_transitions_rollout').on('rollout_transitions').columns(['rollout_id', 'id']).execute();
      await db.schema.createTable('rollout_verdicts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('rollout_id', 'text', (c) => c.notNull().references('rollouts.id'))
        .addColumn('ring_index', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rollout_verdicts_rollout').on('rollout_verdicts').columns(['rollout_id', 'at']).execute();
      await db.schema.createTable('rollout_releases')
        .addColumn('version', 'text', (c) => c.primaryKey())
        .addColumn('released_at', 'bigint', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('rollout_bad_versions')
        .addColumn('version', 'text', (c) => c.primaryKey())
        .addColumn('marked_at', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('rollout_group_policies')
        .addColumn('group_name', 'text', (c) => c.primaryKey())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('rollout_deliveries')
        .addColumn('host_id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('rollout_id', 'text')
        .addColumn('delivered_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('rollout_deliveries_pk', ['host_id', 'version'])
        .execute();
      await db.schema.createIndex('rollout_deliveries_version').on('rollout_deliveries').columns(['version', 'delivered_at']).execute();
    },
  },
];
