// The rollout state every heartbeat needs (active rollout, releases, bad versions, group policies),
// cached in memory: the assignment runs on each heartbeat and must not cost four queries. The service
// drops the cache on its own writes; the TTL bounds staleness when several servers share a database.
import type { FleetRolloutState } from './assignment.ts';
import type { RolloutStore } from './storage/rollout-store.ts';

export type FleetStateCache = {
  get(now: number): Promise<FleetRolloutState>;
  invalidate(): void;
};

export function createFleetStateCache(store: RolloutStore, ttlMs: number): FleetStateCache {
  let cached: { state: FleetRolloutState; loadedAt: number } | null = null;
  let loading: Promise<FleetRolloutState> | null = null;
  let generation = 0;
  async function load(now: number): Promise<FleetRolloutState> {
    const startedIn = generation;
    const [active, releases, bad, policies] = await Promise.all([store.active(), store.releases(), store.badVersions(), store.policies()]);
    const state: FleetRolloutState = { active: active ?? null, releases, badVersions: new Set(bad.map((b) => b.version)), policies };
    // A write that landed while loading makes this load stale: serve it once, do not keep it.
    if (startedIn === generation) cached = { state, loadedAt: now };
    return state;
  }
  return {
    async get(now) {
      if (cached && now - cached.loadedAt < ttlMs && now >= cached.loadedAt) return cached.state;
      loading ??= load(now).finally(() => { loading = null; });
      return loading;
    },
    invalidate() {
      generation += 1;
      cached = null;
    },
  };
}

/** A host's group is its `group:NAME` tag; hosts without one follow the default policy. */
export function groupOf(tags: readonly string[]): string | null {
  const tag = tags.find((t) => t.startsWith('group:') && t.length > 'group:'.length);
  return tag === undefined ? null : tag.slice('group:'.length);
}
