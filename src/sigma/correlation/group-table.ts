// Live groups across the engine, each in two least-recently-updated orders: its correlation's (whose
// front is the first to leave that correlation's timespan) and the engine's (whose front the cap
// evicts). Updating a group moves it to the end of both.
import { correlationLinks, engineLinks, type Group, type Runtime } from './group-state.ts';
import { append, createList, moveToNewest, unlink, type LruList } from './lru-list.ts';

export type GroupTable = { order: LruList<Group>; maxGroups: number; evicted: number };

/** Expired groups removed per call at most, so that one event never pays for a large backlog. */
const sweepBudget = 8;

export function createGroupTable(maxGroups: number): GroupTable {
  return { order: createList(), maxGroups, evicted: 0 };
}

export function touchGroup(table: GroupTable, group: Group): void {
  moveToNewest(group.runtime.order, group, correlationLinks);
  moveToNewest(table.order, group, engineLinks);
}

export function insertGroup(table: GroupTable, group: Group, nowMs: number): void {
  if (table.order.size >= table.maxGroups) sweepAll(table, nowMs);
  while (table.order.size >= table.maxGroups && table.order.oldest) {
    removeGroup(table, table.order.oldest);
    table.evicted++;
  }
  linkGroup(table, group);
}

/** Adds a group at the end of both orders, without the cap (import has applied it already). */
export function linkGroup(table: GroupTable, group: Group): void {
  group.runtime.groups.set(group.key, group);
  append(group.runtime.order, group, correlationLinks);
  append(table.order, group, engineLinks);
}

export function removeGroup(table: GroupTable, group: Group): void {
  group.runtime.groups.delete(group.key);
  unlink(group.runtime.order, group, correlationLinks);
  unlink(table.order, group, engineLinks);
}

/** Drops the groups of one correlation whose last event left the window. */
export function sweepRuntime(table: GroupTable, runtime: Runtime, nowMs: number): void {
  const cutoff = nowMs - runtime.compiled.timespanMs;
  for (let budget = sweepBudget; budget > 0; budget--) {
    const oldest = runtime.order.oldest;
    if (!oldest || oldest.lastTime > cutoff) return;
    removeGroup(table, oldest);
  }
}

/** Drops expired groups at the engine-wide front (correlations that no longer receive events). */
export function sweepAll(table: GroupTable, nowMs: number): void {
  for (let budget = sweepBudget; budget > 0; budget--) {
    const oldest = table.order.oldest;
    if (!oldest || oldest.lastTime > nowMs - oldest.runtime.compiled.timespanMs) return;
    removeGroup(table, oldest);
  }
}

export function clearGroups(table: GroupTable, runtimes: readonly Runtime[]): void {
  table.order = createList();
  for (const runtime of runtimes) {
    runtime.groups.clear();
    runtime.order = createList();
  }
}

export function* groupsOldestFirst(table: GroupTable): Generator<Group> {
  for (let group = table.order.oldest; group !== undefined; group = group.inEngine.newer) yield group;
}
