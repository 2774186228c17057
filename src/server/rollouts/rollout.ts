// The rollout record and its state machine. Pure: the caller passes the clock in (`now`, epoch ms)
// and the judge's verdict; every accepted event yields the new record and one transition with its
// reason, which the store keeps forever.
import { fail, ok, RolloutCodes, type Result } from './diagnostics.ts';
import type { RingPlan } from './ring-plan.ts';

export type RolloutPhase =
  | { kind: 'baking' }
  | { kind: 'awaiting-approval' }
  | { kind: 'paused'; by: 'judge' | 'operator' }
  | { kind: 'completed' }
  | { kind: 'halted' }
  | { kind: 'aborted'; by: 'operator' | 'kill-switch' };

export type PhaseKind = RolloutPhase['kind'];

export type Rollout = {
  id: string;
  /** The content version this rollout releases. */
  version: string;
  /** What the fleet runs now; hosts go back to it on halt or abort. Null when nothing was known. */
  previousVersion: string | null;
  salt: string;
  plan: RingPlan;
  /** The widest ring exposed so far, -1 before ring 0. */
  ringIndex: number;
  phase: RolloutPhase;
  /** When the current ring's bake window began. */
  ringStartedAt: number;
  createdAt: number;
  updatedAt: number;
  /** When the rollout reached a terminal phase. */
  endedAt: number | null;
};

export type VerdictRef = { id: string; kind: 'pass' | 'fail' | 'inconclusive'; summary: string };

export type RolloutEvent =
  | { kind: 'judged'; verdict: VerdictRef; bakeElapsed: boolean }
  | { kind: 'pause'; reason: string }
  | { kind: 'resume'; reason: string }
  | { kind: 'approve'; reason: string }
  | { kind: 'abort'; reason: string }
  | { kind: 'kill'; reason: string };

export type Transition = {
  rolloutId: string;
  at: number;
  from: { phase: PhaseKind; ring: number };
  to: { phase: PhaseKind; ring: number };
  event: RolloutEvent['kind'] | 'start';
  reason: string;
  verdictId: string | null;
};

export type Stepped = { rollout: Rollout; transition: Transition };

export const terminalPhases: ReadonlySet<PhaseKind> = new Set(['completed', 'halted', 'aborted']);

export function isActive(rollout: Rollout): boolean {
  return !terminalPhases.has(rollout.phase.kind);
}

/** Hosts should run the rollout's version (in its exposed rings) only while it is not rolled back. */
export function isRolledBack(rollout: Rollout): boolean {
  return rollout.phase.kind === 'halted' || rollout.phase.kind === 'aborted';
}

export function newRollout(init: { id: string; version: string; previousVersion: string | null; salt: string; plan: RingPlan; now: number }): Stepped {
  const needsApproval = init.plan.rings[0]!.requireApproval;
  const rollout: Rollout = {
    id: init.id, version: init.version, previousVersion: init.previousVersion, salt: init.salt, plan: init.plan,
    ringIndex: needsApproval ? -1 : 0,
    phase: needsApproval ? { kind: 'awaiting-approval' } : { kind: 'baking' },
    ringStartedAt: init.now, createdAt: init.now, updatedAt: init.now, endedAt: null,
  };
  const reason = needsApproval
    ? `release ${init.version} created; ${init.plan.rings[0]!.name} needs approval`
    : `release ${init.version} started in ${init.plan.rings[0]!.name}`;
  return { rollout, transition: makeTransition(rollout, { phase: rollout.phase.kind, ring: -1 }, init.now, 'start', reason, null) };
}

/** Applies one event. Returns null when the event changes nothing (a passing verdict mid-bake). */
export function step(rollout: Rollout, event: RolloutEvent, now: number): Result<Stepped | null> {
  const phase = rollout.phase.kind;
  if (terminalPhases.has(phase)) {
    return fail(RolloutCodes.invalidTransition, `cannot ${event.kind}: the rollout is already ${phase}`, `rollout ${rollout.id}`);
  }
  switch (event.kind) {
    case 'judged': {
      if (phase !== 'baking') return ok(null);
      const verdict = event.verdict;
      if (verdict.kind === 'fail') return ok(move(rollout, { kind: 'halted' }, rollout.ringIndex, now, event, `health judge failed ${ringName(rollout)}: ${verdict.summary}; rolled back to ${rollout.previousVersion ?? 'the previous content'}`, verdict.id));
      if (!event.bakeElapsed) return ok(null);
      if (verdict.kind === 'inconclusive') return ok(move(rollout, { kind: 'paused', by: 'judge' }, rollout.ringIndex, now, event, `health judge inconclusive in ${ringName(rollout)}: ${verdict.summary}`, verdict.id));
      return ok(advance(rollout, now, event, `health judge passed ${ringName(rollout)}: ${verdict.summary}`, verdict.id));
    }
    case 'pause':
      if (phase === 'paused') return fail(RolloutCodes.invalidTransition, 'cannot pause: the rollout is already paused', `rollout ${rollout.id}`);
      return ok(move(rollout, { kind: 'paused', by: 'operator' }, rollout.ringIndex, now, event, event.reason, null));
    case 'resume':
      if (phase !== 'paused') return fail(RolloutCodes.invalidTransition, `cannot resume: the rollout is ${phase}, not paused`, `rollout ${rollout.id}`);
      if (rollout.ringIndex < 0) return ok(move(rollout, { kind: 'awaiting-approval' }, -1, now, event, event.reason, null));
      return ok(move(rollout, { kind: 'baking' }, rollout.ringIndex, now, event, `${event.reason}; ${ringName(rollout)} bakes again from now`, null));
    case 'approve':
      // Approving a judge's pause is the operator's override of an inconclusive verdict.
      if (phase === 'awaiting-approval' || (phase === 'paused' && rollout.phase.kind === 'paused' && rollout.phase.by === 'judge')) {
        return ok(widen(rollout, now, event, event.reason, null));
      }
      return fail(RolloutCodes.invalidTransition, `cannot approve: the rollout is ${phase}; only a rollout awaiting approval or paused by the judge can be approved`, `rollout ${rollout.id}`);
    case 'abort':
      return ok(move(rollout, { kind: 'aborted', by: 'operator' }, rollout.ringIndex, now, event, `${event.reason}; rolled back to ${rollout.previousVersion ?? 'the previous content'}`, null));
    case 'kill':
      return ok(move(rollout, { kind: 'aborted', by: 'kill-switch' }, rollout.ringIndex, now, event, `${event.reason}; rolled back to ${rollout.previousVersion ?? 'the previous content'}`, null));
  }
}

function advance(rollout: Rollout, now: number, event: RolloutEvent, reason: string, verdictId: string | null): Stepped {
  const next = rollout.ringIndex + 1;
  if (next >= rollout.plan.rings.length) return move(rollout, { kind: 'completed' }, rollout.ringIndex, now, event, `${reason}; release complete`, verdictId);
  if (rollout.plan.rings[next]!.requireApproval) {
    return move(rollout, { kind: 'awaiting-approval' }, rollout.ringIndex, now, event, `${reason}; ${rollout.plan.rings[next]!.name} needs approval`, verdictId);
  }
  return widen(rollout, now, event, reason, verdictId);
}

function widen(rollout: Rollout, now: number, event: RolloutEvent, reason: string, verdictId: string | null): Stepped {
  const next = rollout.ringIndex + 1;
  if (next >= rollout.plan.rings.length) return move(rollout, { kind: 'completed' }, rollout.ringIndex, now, event, `${reason}; release complete`, verdictId);
  return move(rollout, { kind: 'baking' }, next, now, event, `${reason}; widened to ${rollout.plan.rings[next]!.name}`, verdictId);
}

function move(rollout: Rollout, phase: RolloutPhase, ring: number, now: number, event: RolloutEvent, reason: string, verdictId: string | null): Stepped {
  const from = { phase: rollout.phase.kind, ring: rollout.ringIndex };
  const restartsBake = phase.kind === 'baking' && (ring !== rollout.ringIndex || rollout.phase.kind !== 'baking');
  const next: Rollout = {
    ...rollout, phase, ringIndex: ring, updatedAt: now,
    ringStartedAt: restartsBake ? now : rollout.ringStartedAt,
    endedAt: terminalPhases.has(phase.kind) ? now : null,
  };
  return { rollout: next, transition: makeTransition(next, from, now, event.kind, reason, verdictId) };
}

function makeTransition(rollout: Rollout, from: Transition['from'], at: number, event: Transition['event'], reason: string, verdictId: string | null): Transition {
  return { rolloutId: rollout.id, at, from, to: { phase: rollout.phase.kind, ring: rollout.ringIndex }, event, reason, verdictId };
}

function ringName(rollout: Rollout): string {
  return rollout.plan.rings[rollout.ringIndex]?.name ?? 'no ring yet';
}
