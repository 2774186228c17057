// Rollout records as the API shows them: ISO times, phases spelled out, ring names resolved.
import type { BadVersionView, RolloutStatusView, RolloutView, TransitionView, VerdictView } from './api-types.ts';
import type { Transition, Rollout } from './rollout.ts';
import type { RolloutStatus } from './service.ts';
import type { BadVersion, StoredVerdict } from './storage/rollout-store.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function rolloutView(r: Rollout): RolloutView {
  const ring = r.plan.rings[r.ringIndex];
  const by = r.phase.kind === 'paused' || r.phase.kind === 'aborted' ? r.phase.by : null;
  return {
    id: r.id, version: r.version, previousVersion: r.previousVersion, phase: r.phase.kind, by, ring: r.ringIndex,
    ringName: ring?.name ?? null, ringStartedAt: iso(r.ringStartedAt),
    bakeEndsAt: r.phase.kind === 'baking' && ring ? iso(r.ringStartedAt + ring.bakeSeconds * 1000) : null,
    createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt), endedAt: r.endedAt === null ? null : iso(r.endedAt), plan: r.plan,
  };
}

export function transitionView(t: Transition): TransitionView {
  return { at: iso(t.at), event: t.event, from: `${t.from.phase}@${t.from.ring}`, to: `${t.to.phase}@${t.to.ring}`, reason: t.reason, verdictId: t.verdictId };
}

export function verdictView(v: StoredVerdict): VerdictView {
  return { id: v.id, ring: v.ringIndex, at: iso(v.at), kind: v.kind, reasons: v.reasons, evidence: v.evidence };
}

export function statusView(s: RolloutStatus): RolloutStatusView {
  return {
    ...rolloutView(s.rollout), exposure: s.exposure, transitions: s.transitions.map(transitionView),
    verdicts: s.verdicts.map(verdictView), live: s.live ? verdictView(s.live) : null,
  };
}

export function badVersionView(b: BadVersion): BadVersionView {
  return { version: b.version, markedAt: iso(b.markedAt), reason: b.reason };
}
