// Which content version a host should run, given the fleet's rollout state. Pure and cheap: the
// server calls it on every heartbeat and answers the result (see docs/rollouts.md, "Distribution").
import { ringOfHost } from './buckets.ts';
import { defaultGroupPolicy, type GroupPolicy } from './policy.ts';
import type { Rollout } from './rollout.ts';

/** A release that completed every ring (or the fleet's baseline), oldest first in `FleetRolloutState`. */
export type Release = { version: string; releasedAt: number };

export type FleetRolloutState = {
  /** The rollout in progress (baking, awaiting approval or paused), if any. */
  active: Rollout | null;
  releases: readonly Release[];
  /** Versions the kill switch marked bad: no host is ever assigned one. */
  badVersions: ReadonlySet<string>;
  policies: ReadonlyMap<string, GroupPolicy>;
};

export type AssignHost = { hostId: string; tags: readonly string[]; group: string | null };

export type AssignmentReason = 'rollout' | 'latest-release' | 'one-behind' | 'delay' | 'no-release';

export type Assignment = {
  /** Null: no release is known yet; the host keeps what it runs. */
  version: string | null;
  reason: AssignmentReason;
  rolloutId: string | null;
  /** The host's ring in the active rollout (its sticky bucket), when it follows the latest. */
  ring: number | null;
};

export function assignVersion(state: FleetRolloutState, host: AssignHost, now: number): Assignment {
  const good = state.releases.filter((release) => !state.badVersions.has(release.version));
  const policy = (host.group === null ? undefined : state.policies.get(host.group)) ?? defaultGroupPolicy;
  switch (policy.kind) {
    case 'follow-latest': {
      const active = state.active;
      if (active && !state.badVersions.has(active.version)) {
        const ring = ringOfHost(active.plan, host, active.salt);
        if (ring <= active.ringIndex) return { version: active.version, reason: 'rollout', rolloutId: active.id, ring };
        return release(good.at(-1), 'latest-release', active.id, ring);
      }
      return release(good.at(-1), 'latest-release', null, null);
    }
    case 'one-behind':
      return release(good.at(-2) ?? good.at(-1), 'one-behind', null, null);
    case 'delay': {
      const aged = good.filter((r) => now - r.releasedAt >= policy.seconds * 1000);
      return release(aged.at(-1) ?? good.at(0), 'delay', null, null);
    }
  }
}

function release(chosen: Release | undefined, reason: AssignmentReason, rolloutId: string | null, ring: number | null): Assignment {
  if (!chosen) return { version: null, reason: 'no-release', rolloutId, ring };
  return { version: chosen.version, reason, rolloutId, ring };
}
