// Reads and writes of the rollout tables. A step of the state machine is stored in one transaction
// (the record, its transition, the verdict behind it, and the release when it completes), guarded by
// `updated_at` so two server instances cannot both move the same rollout.
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.ts';
import type { Release } from '../assignment.ts';
import type { JudgeVerdict } from '../judge/health-judge.ts';
import type { GroupPolicy } from '../policy.ts';
import type { Rollout, Stepped, Transition } from '../rollout.ts';
import { rolloutDb, type RolloutDb, type RolloutTable } from './schema.ts';

export type StoredVerdict = JudgeVerdict & { id: string; rolloutId: string; ringIndex: number; at: number };
export type BadVersion = { version: string; markedAt: number; reason: string };

export type RolloutStore = ReturnType<typeof createRolloutStore>;

export function createRolloutStore(core: Kysely<Database>) {
  const db = rolloutDb(core);
  return {
    async insert(stepped: Stepped): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('rollouts').values(toRow(stepped.rollout)).execute();
        await insertTransition(trx, stepped.transition);
      });
    },
    /** False when someone else moved the rollout since `previous` was read. */
    async saveStep(previous: Rollout, stepped: Stepped, verdict: StoredVerdict | null): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const updated = await trx.updateTable('rollouts').set(toRow(stepped.rollout))
          .where('id', '=', previous.id).where('updated_at', '=', previous.updatedAt).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return false;
        if (verdict) await insertVerdict(trx, verdict);
        await insertTransition(trx, stepped.transition);
        if (stepped.rollout.phase.kind === 'completed') {
          await trx.insertInto('rollout_releases').values({ version: stepped.rollout.version, released_at: stepped.transition.at, source: `rollout ${stepped.rollout.id}` })
            .onConflict((oc) => oc.column('version').doNothing()).execute();
        }
        return true;
      });
    },
    async get(id: string): Promise<Rollout | undefined> {
      const row = await db.selectFrom('rollouts').selectAll().where('id', '=', id).executeTakeFirst();
      return row && fromRow(row);
    },
    async active(): Promise<Rollout | undefined> {
      const row = await db.selectFrom('rollouts').selectAll().where('phase_kind', 'not in', ['completed', 'halted', 'aborted'])
        .orderBy('created_at', 'desc').executeTakeFirst();
      return row && fromRow(row);
    },
    async list(limit: number): Promise<Rollout[]> {
      const rows = await db.selectFrom('rollouts').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(fromRow);
    },
    async transitions(rolloutId: string): Promise<Transition[]> {
      const rows = await db.selectFrom('rollout_transitions').selectAll().where('rollout_id', '=', rolloutId).orderBy('id').execute();
      return rows.map((row) => ({
        rolloutId: row.rollout_id, at: Number(row.at), event: row.event as Transition['event'], reason: row.reason, verdictId: row.verdict_id,
        from: { phase: row.from_phase as Transition['from']['phase'], ring: Number(row.from_ring) },
        to: { phase: row.to_phase as Transition['to']['phase'], ring: Number(row.to_ring) },
      }));
    },
    async verdicts(rolloutId: string): Promise<StoredVerdict[]> {
      const rows = await db.selectFrom('rollout_verdicts').selectAll().where('rollout_id', '=', rolloutId).orderBy('at').execute();
      return rows.map((row) => {
        const evidence = JSON.parse(row.evidence) as JudgeVerdict['evidence'];
        return {
          id: row.id, rolloutId: row.rollout_id, ringIndex: Number(row.ring_index), at: Number(row.at), kind: row.kind as JudgeVerdict['kind'],
          reasons: JSON.parse(row.reasons) as string[], evidence, hardFailure: evidence.hardLimits.some((check) => check.outcome === 'fail'),
        };
      });
    },
    async releases(): Promise<Release[]> {
      const rows = await db.selectFrom('rollout_releases').selectAll().orderBy('released_at').orderBy('version').execute();
      return rows.map((row) => ({ version: row.version, releasedAt: Number(row.released_at) }));
    },
    async addRelease(version: string, at: number, source: string): Promise<void> {
      await db.insertInto('rollout_releases').values({ version, released_at: at, source }).onConflict((oc) => oc.column('version').doNothing()).execute();
    },
    async badVersions(): Promise<BadVersion[]> {
      const rows = await db.selectFrom('rollout_bad_versions').selectAll().orderBy('marked_at').execute();
      return rows.map((row) => ({ version: row.version, markedAt: Number(row.marked_at), reason: row.reason }));
    },
    async markBad(version: string, at: number, reason: string): Promise<void> {
      await db.insertInto('rollout_bad_versions').values({ version, marked_at: at, reason }).onConflict((oc) => oc.column('version').doNothing()).execute();
    },
    async policies(): Promise<Map<string, GroupPolicy>> {
      const rows = await db.selectFrom('rollout_group_policies').selectAll().orderBy('group_name').execute();
      return new Map(rows.map((row) => [row.group_name, JSON.parse(row.policy) as GroupPolicy]));
    },
    async setPolicy(group: string, policy: GroupPolicy, at: number): Promise<void> {
      const values = { group_name: group, policy: JSON.stringify(policy), updated_at: at };
      await db.insertInto('rollout_group_policies').values(values)
        .onConflict((oc) => oc.column('group_name').doUpdateSet({ policy: values.policy, updated_at: at })).execute();
    },
    async recordDelivery(hostId: string, version: string, rolloutId: string | null, at: number): Promise<void> {
      await db.insertInto('rollout_deliveries').values({ host_id: hostId, version, rollout_id: rolloutId, delivered_at: at })
        .onConflict((oc) => oc.columns(['host_id', 'version']).doNothing()).execute();
    },
    async deliveries(version: string): Promise<{ hostId: string; deliveredAt: number }[]> {
      const rows = await db.selectFrom('rollout_deliveries').select(['host_id', 'delivered_at']).where('version', '=', version).execute();
      return rows.map((row) => ({ hostId: row.host_id, deliveredAt: Number(row.delivered_at) }));
    },
    db,
  };
}

async function insertTransition(trx: RolloutDb, t: Transition): Promise<void> {
  await trx.insertInto('rollout_transitions').values({
    rollout_id: t.rolloutId, at: t.at, from_phase: t.from.phase, from_ring: t.from.ring, to_phase: t.to.phase, to_ring: t.to.ring,
    event: t.event, reason: t.reason, verdict_id: t.verdictId,
  }).execute();
}

async function insertVerdict(trx: RolloutDb, v: StoredVerdict): Promise<void> {
  await trx.insertInto('rollout_verdicts').values({
    id: v.id, rollout_id: v.rolloutId, ring_index: v.ringIndex, at: v.at, kind: v.kind,
    reasons: JSON.stringify(v.reasons), evidence: JSON.stringify(v.evidence),
  }).execute();
}

function toRow(r: Rollout): RolloutTable {
  return {
    id: r.id, version: r.version, previous_version: r.previousVersion, salt: r.salt, plan: JSON.stringify(r.plan),
    ring_index: r.ringIndex, phase: JSON.stringify(r.phase), phase_kind: r.phase.kind, ring_started_at: r.ringStartedAt,
    created_at: r.createdAt, updated_at: r.updatedAt, ended_at: r.endedAt,
  };
}

function fromRow(row: RolloutTable): Rollout {
  return {
    id: row.id, version: row.version, previousVersion: row.previous_version, salt: row.salt,
    plan: JSON.parse(row.plan) as Rollout['plan'], ringIndex: Number(row.ring_index), phase: JSON.parse(row.phase) as Rollout['phase'],
    ringStartedAt: Number(row.ring_started_at), createdAt: Number(row.created_at), updatedAt: Number(row.updated_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
  };
}
