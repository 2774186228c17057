// value_count: each distinct value with the last time it was seen. The Map keeps insertion order and a
// value seen again moves to the end, so the oldest values sit at the front and expire first.
import type { CorrelationCondition } from '../ast.ts';
import { maxDistinctThreshold, minDistinctValues } from './limits.ts';
import { createRecent, recentAfter, remember, type RecentIndexes } from './recent-indexes.ts';

export type DistinctState = {
  kind: 'distinct';
  lastSeen: Map<string, number>;
  /**
   * No value was last seen before this time. Checking it first spares walking the Map's front, which
   * (after many delete + set) holds deleted slots that iteration has to skip.
   */
  oldestAtLeast: number;
  recent: RecentIndexes;
};

export function createDistinct(): DistinctState {
  return { kind: 'distinct', lastSeen: new Map(), oldestAtLeast: Infinity, recent: createRecent() };
}

/**
 * How many values a group remembers: one more than the largest threshold is enough, because once the
 * count passes every threshold each comparison gives the same answer as for the true count.
 */
export function distinctCap(condition: CorrelationCondition | null): number {
  const largest = Math.max(0, ...(condition?.comparisons ?? []).map((c) => Math.ceil(c.value)));
  return Math.max(minDistinctValues, Math.min(largest, maxDistinctThreshold) + 2);
}

export function expireDistinct(state: DistinctState, cutoff: number): void {
  if (state.oldestAtLeast > cutoff) return;
  state.oldestAtLeast = Infinity;
  for (const [value, seen] of state.lastSeen) {
    if (seen > cutoff) {
      state.oldestAtLeast = seen;
      break;
    }
    state.lastSeen.delete(value);
  }
}

export function addDistinct(state: DistinctState, nowMs: number, value: string, cap: number, indexes: number | readonly number[]): void {
  state.lastSeen.delete(value);
  state.lastSeen.set(value, nowMs);
  if (state.lastSeen.size === 1) state.oldestAtLeast = nowMs;
  if (state.lastSeen.size > cap) state.lastSeen.delete(state.lastSeen.keys().next().value!);
  remember(state.recent, nowMs, indexes);
}

export function distinctContributors(state: DistinctState, cutoff: number): number[] {
  return recentAfter(state.recent, cutoff);
}
