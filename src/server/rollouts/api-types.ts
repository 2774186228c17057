// Wire types of the rollout API (/v1/admin/rollouts…, the heartbeat's `content` directive). Times are
// ISO 8601; the CLI and the console read exactly these shapes.
import type { Evidence } from './judge/health-judge.ts';
import type { GroupPolicy } from './policy.ts';
import type { RingPlan } from './ring-plan.ts';
import type { AssignmentReason } from './assignment.ts';

export type StartRolloutRequest = {
  version: string;
  previousVersion?: string;
  salt?: string;
  plan?: RingPlan;
  /** Shorthands for the default plan: one bake time for every ring, and the rings needing approval. */
  bakeS?: number;
  approvalRings?: number[];
};

export type ActionRequest = { reason?: string };

export type TransitionView = { at: string; event: string; from: string; to: string; reason: string; verdictId: string | null };

export type VerdictView = { id: string; ring: number; at: string; kind: 'pass' | 'fail' | 'inconclusive'; reasons: string[]; evidence: Evidence };

export type RolloutView = {
  id: string;
  version: string;
  previousVersion: string | null;
  phase: string;
  /** Who paused or aborted it, when it is paused or aborted. */
  by: string | null;
  ring: number;
  ringName: string | null;
  ringStartedAt: string;
  /** When the current ring's bake ends (null unless baking). */
  bakeEndsAt: string | null;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
  plan: RingPlan;
};

export type RolloutStatusView = RolloutView & {
  exposure: { planned: number; delivered: number; running: number; fleet: number };
  transitions: TransitionView[];
  verdicts: VerdictView[];
  live: VerdictView | null;
};

/** `directives.content` in the heartbeat response. */
export type ContentDirectiveView = { version: string | null; reason: AssignmentReason; rolloutId: string | null; ring: number | null };

export type KillRequest = { version: string; reason?: string };
export type BadVersionView = { version: string; markedAt: string; reason: string };
export type PolicyView = { group: string; policy: GroupPolicy };
export type ReleaseView = { version: string; releasedAt: string };
