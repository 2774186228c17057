// Correlation state as plain JSON, so that an agent can carry it across a restart or a content swap.
// Groups are listed least recently updated first; -Infinity ("never seen") is written as null.
import type { GroupState } from './group-state.ts';
import { groupsOldestFirst, type GroupTable } from './group-table.ts';

export const stateFormat = 'ring3.sigma.correlation-state';
export const stateVersion = 1;

export type ExportedGroup = { rule: string; type: string; group: Record<string, unknown>; lastTime: number; state: Record<string, unknown> };
export type ExportedState = { format: string; version: number; evictedGroups: number; groups: ExportedGroup[] };

export function exportGroups(table: GroupTable): ExportedState {
  const groups: ExportedGroup[] = [];
  for (const group of groupsOldestFirst(table)) {
    groups.push({
      rule: group.runtime.compiled.rule.id,
      type: group.runtime.compiled.type,
      group: jsonSafe(group.values),
      lastTime: group.lastTime,
      state: exportState(group.state),
    });
  }
  return { format: stateFormat, version: stateVersion, evictedGroups: table.evicted, groups };
}

function exportState(state: GroupState): Record<string, unknown> {
  switch (state.kind) {
    case 'window':
      return { kind: state.kind, times: [...state.times], counts: [...state.counts], sums: [...state.sums], recent: { times: [...state.recent.times], indexes: [...state.recent.indexes] } };
    case 'distinct':
      return { kind: state.kind, values: [...state.lastSeen], recent: { times: [...state.recent.times], indexes: [...state.recent.indexes] } };
    case 'share':
      return { kind: state.kind, times: [...state.times], values: [...state.values] };
    case 'temporal':
      return { kind: state.kind, lastSeen: state.lastSeen.map(finiteOrNull), indexes: state.indexes.map((list) => [...list]) };
    case 'ordered':
      return { kind: state.kind, starts: state.starts.map(finiteOrNull), indexes: state.indexes.map((list) => [...list]) };
  }
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Group values come from events; a value JSON cannot carry (a bigint, a cycle) becomes its text. */
function jsonSafe(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    let safe: unknown = value;
    try {
      JSON.stringify(value);
    } catch {
      safe = String(value);
    }
    Object.defineProperty(out, name, { value: safe, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
