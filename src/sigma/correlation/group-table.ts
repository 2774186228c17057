// Live groups across the engine. Two insertion-ordered Maps (one per correlation, one global) are kept
// in least-recently-updated order by moving a group to the end on each update: the per-correlation
// front is the first to expire (one timespan), the global front is the one the cap evicts.
import type { Group, Runtime } from './group-state.ts';

export type GroupTable = { all: Map<string, Group>; maxGroups: number; evicted: number };

/** Expired groups removed per call at most, so that one event never pays for a large backlog. */
const sweepBudget = 8;

export function createGroupTable(maxGroups: number): GroupTable {
  return { all: new Map(), maxGroups, evicted: 0 };
}

export function touchGroup(table: GroupTable, group: Group): void {
  group.runtime.groups.delete(group.key);
  group.runtime.groups.set(group.key, group);
  table.all.delete(group.globalKey);
  table.all.set(group.globalKey, group);
}

export function insertGroup(table: GroupTable, group: Group, nowMs: number): void {
  if (table.all.size >= table.maxGroups) sweepAll(table, nowMs);
  while (table.all.size >= table.maxGroups) {
    const oldest = table.all.values().next().value;
    if (!oldest) break;
    removeGroup(table, oldest);
    table.evicted++;
  }
  group.runtime.groups.set(group.key, group);
  table.all.set(group.globalKey, group);
}

export function removeGroup(table: GroupTable, group: Group): void {
  group.runtime.groups.delete(group.key);
  table.all.delete(group.globalKey);
}

/** Drops the groups of one correlation whose last event left the window. */
export function sweepRuntime(table: GroupTable, runtime: Runtime, nowMs: number): void {
  const cutoff = nowMs - runtime.compiled.timespanMs;
  let budget = sweepBudget;
  for (const group of runtime.groups.values()) {
    if (budget-- === 0 || group.lastTime > cutoff) break;
    removeGroup(table, group);
  }
}

/** Drops expired groups at the global front (correlations that no longer receive events). */
export function sweepAll(table: GroupTable, nowMs: number): void {
  let budget = sweepBudget;
  for (const group of table.all.values()) {
    if (budget-- === 0 || group.lastTime > nowMs - group.runtime.compiled.timespanMs) break;
    removeGroup(table, group);
  }
}

export function clearGroups(table: GroupTable, runtimes: readonly Runtime[]): void {
  table.all.clear();
  for (const runtime of runtimes) runtime.groups.clear();
}
