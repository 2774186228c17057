// One event applied to one group: expire what left the window, add the event, and say whether the
// correlation's condition now holds (with the aggregated value and the contributing events).
import type { CorrelationCondition } from '../ast.ts';
import { addDistinct, distinctContributors, expireDistinct } from './distinct-state.ts';
import type { Group } from './group-state.ts';
import { addOrdered, orderedContributors, orderedPrefix } from './ordered-state.ts';
import { addShare, expireShare } from './share-state.ts';
import { addTemporal, temporalContributors, temporalSeen } from './temporal-state.ts';
import { addToWindow, expireWindow, windowContributors } from './window-state.ts';

/** What an event carries into a group: which reference it came from and the value it contributes. */
export type Contribution = {
  ref: number;
  /** value_count: the distinct-value key; value_percentile: the value text. */
  text: string;
  /** value_sum / value_avg: the number. */
  amount: number;
  indexes: number | readonly number[];
};

export type Outcome = { value: number; eventIndexes: number[] } | undefined;

export function updateGroup(group: Group, nowMs: number, input: Contribution): Outcome {
  const { compiled } = group.runtime;
  const cutoff = nowMs - compiled.timespanMs;
  const state = group.state;
  switch (state.kind) {
    case 'window': {
      expireWindow(state, cutoff);
      addToWindow(state, nowMs, group.runtime.slotWidthMs, input.amount, input.indexes);
      const value = compiled.type === 'event_count' ? state.count : compiled.type === 'value_sum' ? state.sum : state.sum / state.count;
      return holds(compiled.condition, value) ? { value, eventIndexes: windowContributors(state, cutoff) } : undefined;
    }
    case 'distinct': {
      expireDistinct(state, cutoff);
      addDistinct(state, nowMs, input.text, group.runtime.distinctCap, input.indexes);
      const value = state.lastSeen.size;
      return holds(compiled.condition, value) ? { value, eventIndexes: distinctContributors(state, cutoff) } : undefined;
    }
    case 'share': {
      expireShare(state, cutoff);
      const value = addShare(state, nowMs, input.text);
      const own = typeof input.indexes === 'number' ? [input.indexes] : [...input.indexes];
      return holds(compiled.condition, value) ? { value, eventIndexes: own } : undefined;
    }
    case 'temporal': {
      addTemporal(state, input.ref, nowMs, input.indexes);
      const value = temporalSeen(state, cutoff);
      const met = compiled.condition ? holds(compiled.condition, value) : value === compiled.references.length;
      return met ? { value, eventIndexes: temporalContributors(state, cutoff) } : undefined;
    }
    case 'ordered': {
      addOrdered(state, input.ref, nowMs, cutoff, input.indexes);
      const value = orderedPrefix(state, cutoff);
      const met = compiled.condition ? holds(compiled.condition, value) : value === compiled.references.length;
      return met ? { value, eventIndexes: orderedContributors(state, value) } : undefined;
    }
  }
}

export function holds(condition: CorrelationCondition | null, value: number): boolean {
  if (!condition) return false;
  for (const { op, value: bound } of condition.comparisons) {
    switch (op) {
      case 'gt':
        if (!(value > bound)) return false;
        break;
      case 'gte':
        if (!(value >= bound)) return false;
        break;
      case 'lt':
        if (!(value < bound)) return false;
        break;
      case 'lte':
        if (!(value <= bound)) return false;
        break;
      case 'eq':
        if (value !== bound) return false;
        break;
      case 'neq':
        if (value === bound) return false;
        break;
    }
  }
  return true;
}
