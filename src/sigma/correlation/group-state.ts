// The per-group state of every correlation type, one tagged union, and the runtime view of a
// compiled correlation that the engine keeps beside it.
import type { CompiledCorrelation } from './compiled-correlation.ts';
import { createDistinct, distinctCap, type DistinctState } from './distinct-state.ts';
import { createOrdered, type OrderedState } from './ordered-state.ts';
import { createShare, type ShareState } from './share-state.ts';
import { createTemporal, type TemporalState } from './temporal-state.ts';
import { createWindow, slotWidth, type WindowState } from './window-state.ts';

export type GroupState = WindowState | DistinctState | ShareState | TemporalState | OrderedState;

export type Runtime = {
  index: number;
  compiled: CompiledCorrelation;
  slotWidthMs: number;
  distinctCap: number;
  /** This correlation's groups by group key, least recently updated first. */
  groups: Map<string, Group>;
};

export type Group = {
  runtime: Runtime;
  /** The group key inside its correlation. */
  key: string;
  /** The key across the engine: correlation index and group key. */
  globalKey: string;
  /** group-by name → value, as reported in a firing. */
  values: Record<string, unknown>;
  /** The group's clock: the latest event time it has seen (it never goes back). */
  lastTime: number;
  state: GroupState;
};

export function createRuntime(compiled: CompiledCorrelation, index: number): Runtime {
  return { index, compiled, slotWidthMs: slotWidth(compiled.timespanMs), distinctCap: distinctCap(compiled.condition), groups: new Map() };
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

export function globalKey(runtime: Runtime, key: string): string {
  return `${runtime.index}|${key}`;
}
