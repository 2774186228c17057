// The per-group state of every correlation type, one tagged union, and the runtime view of a
// compiled correlation that the engine keeps beside it.
import type { CompiledCorrelation } from './compiled-correlation.ts';
import { createDistinct, distinctCap, type DistinctState } from './distinct-state.ts';
import { createOrdered, type OrderedState } from './ordered-state.ts';
import { createShare, type ShareState } from './share-state.ts';
import { createTemporal, type TemporalState } from './temporal-state.ts';
import { createLinks, createList, type Links, type LruList } from './lru-list.ts';
import { createWindow, slotWidth, type WindowState } from './window-state.ts';

export type GroupState = WindowState | DistinctState | ShareState | TemporalState | OrderedState;

export type Runtime = {
  index: number;
  compiled: CompiledCorrelation;
  slotWidthMs: number;
  distinctCap: number;
  /** This correlation's groups by group key. */
  groups: Map<string, Group>;
  /** The same groups, least recently updated first: the front is the first to expire. */
  order: LruList<Group>;
};

export type Group = {
  runtime: Runtime;
  /** The group key inside its correlation. */
  key: string;
  /** group-by name → value, as reported in a firing. */
  values: Record<string, unknown>;
  /** The group's clock: the latest event time it has seen (it never goes back). */
  lastTime: number;
  state: GroupState;
  /** Place in the engine-wide order (the cap evicts its front) and in its correlation's order. */
  inEngine: Links<Group>;
  inCorrelation: Links<Group>;
};

export const engineLinks = (group: Group): Links<Group> => group.inEngine;
export const correlationLinks = (group: Group): Links<Group> => group.inCorrelation;

export function createGroup(runtime: Runtime, key: string, values: Record<string, unknown>, lastTime: number, state: GroupState): Group {
  return { runtime, key, values, lastTime, state, inEngine: createLinks(), inCorrelation: createLinks() };
}

export function createRuntime(compiled: CompiledCorrelation, index: number): Runtime {
  return { index, compiled, slotWidthMs: slotWidth(compiled.timespanMs), distinctCap: distinctCap(compiled.condition), groups: new Map(), order: createList() };
}

export function stateKind(compiled: CompiledCorrelation): GroupState['kind'] {
  switch (compiled.type) {
    case 'event_count':
    case 'value_sum':
    case 'value_avg':
      return 'window';
    case 'value_count':
      return 'distinct';
    case 'value_percentile':
      return 'share';
    case 'temporal':
      return 'temporal';
    case 'temporal_ordered':
      return 'ordered';
  }
}

export function createState(compiled: CompiledCorrelation): GroupState {
  const kind = stateKind(compiled);
  switch (kind) {
    case 'window':
      return createWindow();
    case 'distinct':
      return createDistinct();
    case 'share':
      return createShare();
    case 'temporal':
      return createTemporal(compiled.references.length);
    case 'ordered':
      return createOrdered(compiled.references.length);
  }
}
