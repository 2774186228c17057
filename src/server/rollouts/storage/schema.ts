// The rollout engine's own tables, beside the core server's (storage/schema.ts). Times are epoch
// milliseconds; plans, phases, reasons and evidence are JSON text so SQLite and PostgreSQL share them.
import type { Generated, Kysely } from 'kysely';
import type { Database } from '../../storage/schema.ts';

export type RolloutTable = {
  id: string;
  version: string;
  previous_version: string | null;
  salt: string;
  /** JSON RingPlan. */
  plan: string;
  ring_index: number;
  /** JSON RolloutPhase. */
  phase: string;
  phase_kind: string;
  ring_started_at: number;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
};

export type RolloutTransitionTable = {
  id: Generated<number>;
  rollout_id: string;
  at: number;
  from_phase: string;
  from_ring: number;
  to_phase: string;
  to_ring: number;
  event: string;
  reason: string;
  verdict_id: string | null;
};

export type RolloutVerdictTable = {
  id: string;
  rollout_id: string;
  ring_index: number;
  at: number;
  kind: string;
  /** JSON string[]. */
  reasons: string;
  /** JSON Evidence. */
  evidence: string;
};

export type RolloutReleaseTable = { version: string; released_at: number; source: string };
export type RolloutBadVersionTable = { version: string; marked_at: number; reason: string };
export type RolloutGroupPolicyTable = { group_name: string; policy: string; updated_at: number };
/** When the server first told a host to take a version: the start of "silent after updating". */
export type RolloutDeliveryTable = { host_id: string; version: string; rollout_id: string | null; delivered_at: number };

export type RolloutTables = {
  rollouts: RolloutTable;
  rollout_transitions: RolloutTransitionTable;
  rollout_verdicts: RolloutVerdictTable;
  rollout_releases: RolloutReleaseTable;
  rollout_bad_versions: RolloutBadVersionTable;
  rollout_group_policies: RolloutGroupPolicyTable;
  rollout_deliveries: RolloutDeliveryTable;
};

export type RolloutDb = Kysely<Database & RolloutTables>;

export function rolloutDb(db: Kysely<Database>): RolloutDb {
  return db.withTables<RolloutTables>();
}
