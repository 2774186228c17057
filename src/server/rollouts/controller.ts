// One judgement of a rollout: gather the bake window's data, judge canary against control, and
// measure exposure. The service feeds the verdict to the state machine; the server calls its `tick`
// on a timer, tests and the simulator with their own clock.
import { assignVersion, type FleetRolloutState } from './assignment.ts';
import { groupOf } from './fleet-state.ts';
import { deliveriesWithLastSeen, hostWindows } from './health-window.ts';
import { judgeHealth, type JudgeVerdict } from './judge/health-judge.ts';
import type { JudgeConfig } from './judge/judge-config.ts';
import type { Rollout } from './rollout.ts';
import type { RolloutStore } from './storage/rollout-store.ts';
import type { Store } from '../storage/store.ts';

export type Exposure = {
  /** Hosts that follow the latest and sit in the exposed rings: who should run the version now. */
  planned: number;
  /** Hosts the server has told to take the version (not revoked). */
  delivered: number;
  /** Hosts whose last heartbeat reported the version. */
  running: number;
  /** Hosts not revoked. */
  fleet: number;
};

export type Evaluation = { verdict: JudgeVerdict; exposure: Exposure };

export type EvaluateDeps = { store: Store; rollouts: RolloutStore; judge: JudgeConfig };

export async function evaluateRollout(deps: EvaluateDeps, rollout: Rollout, state: FleetRolloutState, now: number): Promise<Evaluation> {
  const [windows, deliveries, counts] = await Promise.all([
    hostWindows(deps.rollouts.db, rollout.ringStartedAt, now),
    deliveriesWithLastSeen(deps.rollouts.db, rollout.version),
    countExposure(deps.store, rollout, state, now),
  ]);
  const exposure = { ...counts, delivered: deliveries.length };
  const delivered = new Set(deliveries.map((d) => d.hostId));
  const canary = windows.filter((w) => w.contentVersion === rollout.version);
  const control = windows.filter((w) => w.contentVersion !== null && w.contentVersion === rollout.previousVersion && !delivered.has(w.hostId));
  // A ring of two hosts cannot supply three canaries: then every exposed host must report instead.
  const config = exposure.planned < deps.judge.minCanaryHosts ? { ...deps.judge, minCanaryHosts: Math.max(1, exposure.planned) } : deps.judge;
  const verdict = judgeHealth({ now, windowStart: rollout.ringStartedAt, canary, control, deliveries }, config);
  if (exposure.planned === 0 && deliveries.length === 0 && verdict.kind !== 'fail') {
    return { exposure, verdict: { ...verdict, kind: 'pass', reasons: [`no host is in ${ringNames(rollout)}; nothing was exposed`] } };
  }
  return { exposure, verdict };
}

async function countExposure(store: Store, rollout: Rollout, state: FleetRolloutState, now: number): Promise<Omit<Exposure, 'delivered'>> {
  const hosts = await store.listActiveHosts();
  const view: FleetRolloutState = { ...state, active: rollout };
  let planned = 0;
  let running = 0;
  for (const host of hosts) {
    if (host.status?.contentVersion === rollout.version) running += 1;
    if (rollout.ringIndex < 0) continue;
    const tags = [...new Set([...host.enrollmentTags, ...(host.status?.tags ?? [])])];
    const assignment = assignVersion(view, { hostId: host.id, tags, group: groupOf(tags) }, now);
    if (assignment.reason === 'rollout' && assignment.version === rollout.version) planned += 1;
  }
  return { planned, running, fleet: hosts.length };
}

function ringNames(rollout: Rollout): string {
  return rollout.ringIndex <= 0 ? 'ring 0' : `rings 0..${rollout.ringIndex}`;
}
